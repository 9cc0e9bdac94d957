// Loads one source file into the warehouse connection: stage as text, validate set-based in SQL,
// then in one transaction record the load, replace superseded rows, insert good rows and record
// rejects. Raw rejected values go to the attached quarantine database (schema `quarantine`).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT_VERSION, type EntityName } from '../contract/entities.ts';
import { queryRows, queryValue } from '../db/connection.ts';
import { participantId } from '../privacy/key.ts';
import { loadSql, quarantineSql } from '../warehouse/meta-sql.ts';
import { readSource, SourceReadError, type SourceInfo } from './read/index.ts';
import { backslashIsYenSign, type TextEncoding } from './read/detect.ts';
import type { LoadNumber } from './load-numbers.ts';
import { headerFit, resolveColumns, type SourceRule } from './mapping.ts';
import { HEADER_SEARCH_ROWS } from './read/header-row.ts';
import type { HeaderRow } from './read/types.ts';
import * as V from './validation-sql.ts';

export interface LoadContext {
  runId: string;
  key: Buffer;
  /** Pseudonyms already computed in this run (ref → participant_id): most files name the same people. */
  pseudonyms: Map<string, string>;
  tempDir: string;
  encoding?: string;
}

export interface LoadResult {
  file: string;
  entity: EntityName;
  sha256: string;
  /** Set when the same bytes were loaded before: nothing was done. */
  alreadyLoadedAs?: number;
  loadId?: number;
  source?: SourceInfo;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsSuperseded: number;
  dropped: Array<{ header: string; why: string }>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  // 1 MB chunks: with the stream's default 64 KB, handling the chunks costs more than hashing them.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Adds the file's participant references that have no pseudonym yet on this connection to `_pseudonyms`. */
async function pseudonymise(conn: DuckDBConnection, entity: EntityName, key: Buffer, cache: Map<string, string>): Promise<void> {
  await conn.run(V.PSEUDONYM_TABLE_DDL);
  const sql = V.packedParticipantRefsSql(entity);
  if (!sql) return;
  const packed = await queryValue<string | null>(conn, sql);
  if (!packed) return;
  const { record, unit } = V.PACKED_REFS;
  const pairs = packed.split(record).map((entry) => {
    const at = entry.indexOf(unit);
    const ref = entry.slice(at + 1);
    let id = cache.get(ref);
    if (id === undefined) cache.set(ref, (id = participantId(key, ref)));
    return `${entry.slice(0, at)}${unit}${id}`;
  });
  // Back the same way, as one text value: appending row by row costs more than the HMACs.
  await conn.run(V.INSERT_PACKED_PSEUDONYMS, { packed: pairs.join(record) });
}

/**
 * Validates `_stage` into `_checked`, `_dups`, `_rejects` and `_good`. Values in canonical form are read first; the
 * parsers (dates, eras, yen ...) run in a second pass, only over the rows that need them and only for their columns.
 */
export async function validateStaged(conn: DuckDBConnection, entity: EntityName, encoding: string | null = null, backslashIsYen = encoding === 'shift_jis'): Promise<void> {
  await conn.run(V.checkedSql(entity, { parse: new Set(), backslashIsYen }));
  const slow = Number(await queryValue(conn, 'SELECT coalesce(bit_or(_slow), 0) FROM _checked'));
  if (slow !== 0) {
    await conn.run(V.checkedSql(entity, { parse: V.slowColumns(entity, slow), recheck: true, backslashIsYen }));
    await conn.run(V.MERGE_RECHECKED.join(';\n'));
  }
  // One call for the three steps: they are planned and run one after the other either way.
  await conn.run([V.dupsSql(entity), V.rejectsSql(entity), V.goodSql(entity)].join(';\n'));
}

/** Which row was taken as the header, when that may be why columns are missing. */
function headerAdvice(header: HeaderRow | undefined): string {
  if (header?.how === 'given') return ` Row ${header.row} was taken as the header, as header_row in the mapping file says.`;
  if (header?.how !== 'first') return '';
  return ` Row ${header.row} was taken as the header (no row among the first ${HEADER_SEARCH_ROWS} has every required column); if the header is on another row, set header_row for this file in the mapping file.`;
}

/** Loads `file` as load `number.loadId`, or only reports it when its bytes were loaded before (`alreadyLoadedAs`). */
export async function loadFile(conn: DuckDBConnection, ctx: LoadContext, file: string, entity: EntityName, rule: SourceRule | undefined, number: LoadNumber): Promise<LoadResult> {
  const fileName = basename(file);
  const { sha256 } = number;
  const empty = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsSuperseded: 0, dropped: [] };
  if ('alreadyLoadedAs' in number) return { file, entity, sha256, alreadyLoadedAs: number.alreadyLoadedAs, ...empty };
  const { loadId } = number;

  const startedAt = new Date();
  let mapping: ReturnType<typeof resolveColumns> | undefined;
  const source = await readSource(conn, file, {
    encoding: rule?.encoding ?? ctx.encoding,
    sheet: rule?.sheet,
    headerRow: rule?.header_row,
    headerFit: (headers) => headerFit(entity, headers, rule),
    tempDir: ctx.tempDir,
    selectColumns: (headers) => {
      mapping = resolveColumns(entity, headers, rule);
      return mapping.bindings.flatMap((b) => (b.header ? [b.header] : []));
    },
  });
  // A file without the columns the contract needs cannot be read as its entity (`impact ingest --skip-unreadable` skips it).
  if (!mapping) throw new SourceReadError(`Could not read the header of ${fileName}.`);
  if (mapping.missing.length > 0) {
    const detail = mapping.missing.map((m) => `${m.column} (looked for: ${m.lookedFor.join(', ')})`).join('; ');
    throw new SourceReadError(`${fileName} has no column for ${mapping.missing.map((m) => m.column).join(', ')}. ${detail}. Rename the header or map it in a mapping file (--mapping).${headerAdvice(source.header)}`);
  }
  const conflict = mapping.conflicts[0];
  if (conflict) {
    const names = conflict.headers.map((h) => `"${h}"`);
    const example = conflict.headers.find((h) => h !== conflict.column) ?? conflict.headers[0];
    const fix = conflict.mapped ? 'the mapping file maps each of them to it: remove all but one column from the file' : `remove all but one, or name the one to use in a mapping file (columns: { ${example}: ${conflict.column} })`;
    throw new SourceReadError(`${fileName} has ${names.length} columns for ${conflict.column}, ${names.slice(0, -1).join(', ')} and ${names.at(-1)}: ${fix}.`);
  }

  await conn.run(V.stageSql(mapping.bindings));
  await pseudonymise(conn, entity, ctx.key, ctx.pseudonyms);
  // A yen column's backslash is the yen sign in a CSV file read as Shift_JIS, or of plain ASCII (backslashIsYenSign).
  const encodingGiven = rule?.encoding ?? ctx.encoding;
  const backslashIsYen = source.format === 'csv' ? await backslashIsYenSign(file, source.encoding as TextEncoding, encodingGiven) : undefined;
  await validateStaged(conn, entity, source.encoding, backslashIsYen);

  const counts = await queryRows<{ rejected: number; read: number }>(conn, loadSql.counts);
  const { rejected: rowsRejected, read: rowsRead } = counts[0]!;

  await conn.run('BEGIN TRANSACTION');
  let rowsSuperseded: number;
  let rowsLoaded: number;
  try {
    rowsSuperseded = Number((await conn.run(V.supersedeSql(entity))).rowsChanged);
    rowsLoaded = Number((await conn.run(V.insertSql(entity), { load_id: loadId })).rowsChanged);
    await conn.run(loadSql.recordRejects, { load_id: loadId });
    await conn.run(loadSql.record, {
      load_id: loadId,
      run_id: ctx.runId,
      entity,
      sha: sha256,
      format: source.format,
      encoding: source.encoding,
      read: rowsRead,
      loaded: rowsLoaded,
      rejected: rowsRejected,
      superseded: rowsSuperseded,
      started: startedAt.toISOString(),
      contract: CONTRACT_VERSION,
    });
    if (rowsLoaded + rowsRejected !== rowsRead) {
      throw new Error(`Internal error loading ${fileName}: ${rowsLoaded} loaded + ${rowsRejected} rejected ≠ ${rowsRead} read.`);
    }
    await conn.run('COMMIT');
  } catch (error) {
    // A statement that failed writing (a full disk) has ended the transaction already: its error is the one to tell.
    await conn.run('ROLLBACK').catch(() => undefined);
    throw error;
  }

  // The file's name and the raw values of rejected rows, for staff: quarantine only, never the warehouse.
  await conn.run(quarantineSql.recordFile, { load_id: loadId, file: fileName, path: file, sha: sha256 });
  await conn.run(quarantineSql.keepRejects(entity), { load_id: loadId, file: fileName, sha: sha256 });
  await conn.run(loadSql.cleanUp.join(';\n'));

  return { file, entity, sha256, loadId, source, rowsRead, rowsLoaded, rowsRejected, rowsSuperseded, dropped: mapping.dropped };
}
