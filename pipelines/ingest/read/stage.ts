// Steps every reader shares: checking headers, choosing the kept columns, and the two TEMP tables it fills.
//
// While a reader fills `_source`, its columns have positional staging names; at the end they are renamed to their
// headers. Staging names start with a space, and headers are trimmed, so the two can never collide (a header may
// well be "c1" or "rowid").
import { randomUUID } from 'node:crypto';
import { chmod, copyFile, symlink } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier } from '../../sql.ts';

export const SOURCE_TABLE = '_source';
export const REJECTS_TABLE = '_source_rejects';

/** `temp.main.<name>`: TEMP tables live in catalog temp, schema main. */
export function tempTable(name: string): string {
  return `temp.main.${quotedIdentifier(name)}`;
}

/** An error about a source file, whose message is one sentence naming the file, then the detail. */
export class SourceReadError extends Error {
  override name = 'SourceReadError';
}

export function readError(file: string, detail: string, cause?: unknown): SourceReadError {
  return new SourceReadError(`Could not read ${basename(file)}: ${detail}`, cause === undefined ? undefined : { cause });
}

const GLOB_CHARACTERS = /[*?[\]{}]/;

/**
 * A path DuckDB reads as that one file. DuckDB's readers take a path as a glob pattern, so "給与 [4月].csv" would
 * silently read "給与 4.csv"; such a file is read through a link (or copy) under a plain name in `tempDir`.
 */
export async function literalPath(file: string, tempDir: string): Promise<string> {
  if (!GLOB_CHARACTERS.test(file)) return file;
  const link = join(tempDir, `source-${randomUUID()}${extname(file).toLowerCase()}`);
  if (GLOB_CHARACTERS.test(link)) throw readError(file, `the temporary folder's path (${tempDir}) contains *, ?, [ or {, which DuckDB reads as a pattern`);
  try {
    await symlink(resolve(file), link);
  } catch {
    await copyFile(file, link);
    await chmod(link, 0o600); // a copy of the source, names included: owner-only
  }
  return link;
}

/** Staging names are this prefix and the column's 0-based position in the file. */
export const STAGING_PREFIX = ' c';

export function stagingName(index: number): string {
  return `${STAGING_PREFIX}${index}`;
}

/** A header to materialise, with its 0-based position in the file. */
export interface KeptColumn {
  header: string;
  index: number;
}

/** Throws if a header holds a NUL character (SQL cannot name such a column), or appears twice. */
export function checkHeaders(file: string, headers: readonly string[]): void {
  if (headers.some((header) => header.includes('\0'))) {
    throw readError(file, 'its header contains NUL bytes, so it is not text as written (it may be UTF-16 text without a byte order mark): save it again as CSV UTF-8');
  }
  const seen = new Map<string, number>();
  headers.forEach((header, index) => {
    // Excel often leaves empty header cells beside the table; such a column can never be mapped, so it
    // is not an error unless someone asks to keep it (chooseColumns).
    if (header === '') return;
    const first = seen.get(header);
    if (first !== undefined) throw readError(file, `the header "${header}" appears twice (columns ${first + 1} and ${index + 1}); every column needs its own name`);
    seen.set(header, index);
  });
}

/** Asks `selectColumns` which headers to keep, and checks that DuckDB can hold them as columns of `_source`. */
export function chooseColumns(file: string, headers: readonly string[], selectColumns: (headers: string[]) => string[]): KeptColumn[] {
  const positions = new Map(headers.map((header, index) => [header, index]));
  const kept: KeptColumn[] = [];
  const byFoldedName = new Map<string, string>([['_row', '_row']]);
  for (const header of new Set(selectColumns([...headers]))) {
    if (header === '') throw readError(file, `a column with an empty header cannot be kept; give it a name`);
    const index = positions.get(header);
    if (index === undefined) throw readError(file, `selectColumns asked for "${header}", which is not one of its headers (${headers.join(', ')})`);
    // DuckDB column names are case-insensitive.
    const clash = byFoldedName.get(header.toLowerCase());
    if (clash === '_row') throw readError(file, `the header "${header}" is reserved for row numbers; rename that column`);
    if (clash !== undefined) throw readError(file, `the headers "${clash}" and "${header}" differ only in upper and lower case, which the warehouse cannot tell apart; rename one of them`);
    byFoldedName.set(header.toLowerCase(), header);
    kept.push({ header, index });
  }
  return kept;
}

export async function createRejectsTable(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(REJECTS_TABLE)} (_row BIGINT, column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)`);
}

/** An empty `_source` with its columns already named after the kept headers. */
export async function createEmptySource(conn: DuckDBConnection, kept: readonly KeptColumn[]): Promise<void> {
  const columns = ['_row BIGINT', ...kept.map((c) => `${quotedIdentifier(c.header)} VARCHAR`)];
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SOURCE_TABLE)} (${columns.join(', ')})`);
}

/** An empty `_source` with staging column names, for readers that append rows. */
export async function createStagingSource(conn: DuckDBConnection, kept: readonly KeptColumn[]): Promise<void> {
  const columns = ['_row BIGINT', ...kept.map((c) => `${quotedIdentifier(stagingName(c.index))} VARCHAR`)];
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SOURCE_TABLE)} (${columns.join(', ')})`);
}

/** Renames `_source`'s staging columns to their headers. */
export async function nameColumns(conn: DuckDBConnection, kept: readonly KeptColumn[]): Promise<void> {
  if (kept.length === 0) return;
  const renames = kept.map((c) => `ALTER TABLE ${tempTable(SOURCE_TABLE)} RENAME COLUMN ${quotedIdentifier(stagingName(c.index))} TO ${quotedIdentifier(c.header)};`);
  await conn.run(renames.join('\n'));
}

export async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${tempTable(table)}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

export interface TypedColumn {
  name: string;
  type: string;
}

/** Column names and types of a query's result. */
export async function describe(conn: DuckDBConnection, query: string): Promise<TypedColumn[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${query}`);
  return reader.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}
