// Opening DuckDB: one place for the settings every connection needs. The warehouse stores plain
// DATE and TIMESTAMP (UTC) values only, so no time-zone setting (which needs ICU) is involved.
import { resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quotedString } from '../sql.ts';
import { assertWarehouse } from '../warehouse/paths.ts';

export interface OpenOptions {
  readOnly?: boolean;
  /**
   * Files the connection may open besides the database itself, e.g. the quarantine it attaches
   * (each with its write-ahead log and checkpoint file, which DuckDB opens beside it). A writable
   * open that names its files is sealed like a read-only one.
   */
  allowFiles?: string[];
  /** Folders the connection may write into, e.g. an export's work copy. */
  allowDirectories?: string[];
}

/** Extensions are never fetched or loaded on the fly: what a connection can do is what it was opened with. */
const NO_EXTENSION_LOADING = { autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' };

/** A DuckDB list of paths, each as given and absolute (DuckDB compares the text of the path). */
const pathList = (paths: string[], end = '') =>
  `[${[...new Set(paths.flatMap((p) => [p.replace(/\/+$/, ''), resolve(p)]))].map((p) => quotedString(p + end)).join(', ')}]`;

/**
 * Every read-only open is sealed (and every open that names the files it needs): the connection sees
 * the database and nothing else. No file or
 * network access (read_csv, read_text, glob, COPY … TO, EXPORT DATABASE, ATTACH, INSTALL), except
 * the files and folders named in `options`, and no setting can be changed afterwards
 * (lock_configuration), so the seal cannot be undone by SET or RESET. The allowed paths can only be
 * set before external access is disabled, hence the SET statements rather than the open config.
 */
async function seal(instance: DuckDBInstance, options: OpenOptions): Promise<void> {
  const conn = await instance.connect();
  try {
    const files = (options.allowFiles ?? []).flatMap((f) => [f, `${f}.wal`, `${f}.wal.checkpoint`]);
    if (files.length > 0) await conn.run(`SET allowed_paths = ${pathList(files)}`);
    const dirs = options.allowDirectories ?? [];
    if (dirs.length > 0) await conn.run(`SET allowed_directories = ${pathList(dirs, '/')}`);
    // DuckDB always allows its temporary folder (<db>.tmp), so a reader could COPY … TO files there and
    // fill the disk spilling a runaway join; a reader's queries are small and run in memory instead.
    if (options.readOnly) await conn.run("SET temp_directory = ''");
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<DuckDBInstance> {
  const sealed = options.readOnly || options.allowFiles !== undefined || options.allowDirectories !== undefined;
  // Writers of the warehouse (ingest, build) read source files through DuckDB: they are not sealed.
  if (!sealed) return DuckDBInstance.create(path, {});
  // Only ingest creates a warehouse (through a writable open); a reader of a mistyped path is told so.
  if (options.readOnly) assertWarehouse(path);
  const instance = await DuckDBInstance.create(path, { ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}), ...NO_EXTENSION_LOADING });
  try {
    await seal(instance, options);
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  return instance;
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
