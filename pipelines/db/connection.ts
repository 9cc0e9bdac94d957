// Opening DuckDB: one place for the settings every connection needs. The warehouse stores plain
// DATE and TIMESTAMP (UTC) values only, so no time-zone setting (which needs ICU) is involved.
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface OpenOptions {
  readOnly?: boolean;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<DuckDBInstance> {
  const config: Record<string, string> = {};
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  return DuckDBInstance.create(path, config);
}

/** Opens `path`, runs `fn` on one connection and always closes both. */
export async function withConnection<T>(path: string, options: OpenOptions, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await openDatabase(path, options);
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Rows of a query as plain JSON-safe objects (dates as ISO strings, BIGINT as numbers when safe). */
export async function queryRows<T = Record<string, unknown>>(conn: DuckDBConnection, sql: string, values?: Record<string, unknown> | unknown[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, values as never);
  return reader.getRowObjectsJson() as T[];
}

export async function queryValue<T = unknown>(conn: DuckDBConnection, sql: string, values?: Record<string, unknown> | unknown[]): Promise<T> {
  const rows = await queryRows(conn, sql, values);
  const first = rows[0];
  if (!first) throw new Error(`query returned no rows: ${sql}`);
  return Object.values(first)[0] as T;
}
