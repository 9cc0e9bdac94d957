// What a dashboard data loader does: run one aggregate query (src/data/queries/<name>.sql) on the
// warehouse opened read-only, put the result through disclosure control, and write the published
// table as JSON to stdout. Loaders call `publish(name)`; the tables and their rules are in tables.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { withConnection } from '../db/connection.ts';
import { assertPublishable } from '../privacy/differencing.ts';
import type { PublishedTable, SuppressionSpec } from '../privacy/disclosure.ts';
import { suppressTogether, type TableInput } from '../privacy/joint-suppression.ts';
import { DEFAULT_DB } from '../warehouse/paths.ts';
import { DASHBOARD_TABLE_NAMES, DASHBOARD_TABLES, type DashboardTableName } from './tables.ts';

export const QUERY_DIR = resolve(import.meta.dirname, '..', '..', 'src', 'data', 'queries');

/** Columns that identify a person or an agreement: a published table never has one. */
const ROW_LEVEL_COLUMNS = /participant_id|pseudonym|agreement_id|employment_id|employer_ref|birth|name_kana|email/i;

/** The warehouse the dashboard reads: IMPACT_DB, else out/warehouse.duckdb. */
export function dashboardWarehouse(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.IMPACT_DB || DEFAULT_DB);
}

export function querySql(name: DashboardTableName): string {
  return readFileSync(join(QUERY_DIR, `${name}.sql`), 'utf8');
}

const WIDE_NUMBERS = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL]);

/**
 * Rows with every number as a JSON number: DuckDB's JSON rows give BIGINT, HUGEINT (sums) and DECIMAL
 * as strings, which the disclosure check could not read as people. Amounts in yen and counts of people
 * are far below 2^53.
 */
async function numericRows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const wide = reader.columnTypes().map((t) => WIDE_NUMBERS.has(t.typeId));
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => {
    for (const [i, name] of names.entries()) {
      if (wide[i] && typeof row[name] === 'string') row[name] = Number(row[name]);
    }
    return row;
  });
}

/** The rows of a table's query before disclosure control: for the loader, and for tests of the declared linkage. */
export async function unsuppressedRows(name: DashboardTableName, db = dashboardWarehouse()): Promise<Record<string, unknown>[]> {
  return withConnection(db, { readOnly: true }, async (conn) => {
    // The marts were built as of the latest build's date; the queries read it the same way.
    await conn.run('SET VARIABLE as_of = (SELECT max_by(as_of, build_id) FROM meta.builds)');
    return numericRows(conn, querySql(name));
  });
}

/**
 * Runs every table's query and suppresses the tables together (joint-suppression.ts: a cell hidden in
 * one may not be printed in, or subtracted from, another); refuses row-level columns and unsafe output.
 */
export async function publishedTables(db = dashboardWarehouse()): Promise<Record<DashboardTableName, PublishedTable>> {
  const inputs: Record<string, TableInput> = {};
  for (const name of DASHBOARD_TABLE_NAMES) {
    const rows = await unsuppressedRows(name, db);
    const leaked = Object.keys(rows[0] ?? {}).filter((c) => ROW_LEVEL_COLUMNS.test(c));
    if (leaked.length > 0) throw new Error(`Dashboard table ${name} has row-level columns (${leaked.join(', ')}); publish aggregates only.`);
    inputs[name] = { rows, spec: DASHBOARD_TABLES[name].spec as SuppressionSpec };
  }
  const tables = suppressTogether(inputs);
  assertPublishable(tables, Object.keys(tables), 'The dashboard\'s tables, read together,');
  return tables as Record<DashboardTableName, PublishedTable>;
}

/** One table as published with all the others (publishedTables). */
export async function publishedTable(name: DashboardTableName, db = dashboardWarehouse()): Promise<PublishedTable> {
  return (await publishedTables(db))[name];
}

/**
 * The loader's side: a dashboard build suppresses all tables once and leaves them in a private file
 * (IMPACT_DASHBOARD_TABLES); a loader run on its own (preview) suppresses them all itself.
 */
export async function publish(name: DashboardTableName): Promise<void> {
  const file = process.env.IMPACT_DASHBOARD_TABLES;
  const tables = file ? (JSON.parse(readFileSync(file, 'utf8')) as Record<DashboardTableName, PublishedTable>) : await publishedTables();
  const table = tables[name];
  process.stderr.write(`${name}: ${table.rows.length} rows, ${table.suppressed.primary} values suppressed under k = ${table.k}, ${table.suppressed.complementary} more to protect them\n`);
  process.stdout.write(JSON.stringify(table));
}

/** The data files of a built dashboard (<dist>/_file/data/<name>.<hash>.json), by table name. */
export function publishedDataFiles(dist: string): Map<string, PublishedTable> {
  const folder = join(dist, '_file', 'data');
  const tables = new Map<string, PublishedTable>();
  for (const file of readdirSync(folder)) {
    const name = /^([\w-]+)\.[0-9a-f]{8}\.json$/.exec(file)?.[1];
    if (name) tables.set(name, JSON.parse(readFileSync(join(folder, file), 'utf8')) as PublishedTable);
  }
  return tables;
}

/**
 * Refuses a built dashboard whose data files, read together as a visitor can, give away what
 * suppression hid: one table's hidden cell recovered from another's shown total (differencing.ts).
 */
export function assertDashboardPublishable(dist: string): void {
  const tables = Object.fromEntries(publishedDataFiles(dist));
  assertPublishable(tables, Object.keys(tables), `The dashboard in ${dist}, its data files read together,`);
}
