// Where a warehouse's companion files live: all beside the warehouse file.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export const DEFAULT_DB = 'out/warehouse.duckdb';

/** A DuckDB database file starts with an 8-byte checksum and then these bytes. */
const DUCKDB_MAGIC = Buffer.from('DUCK');

/** Whether `file` starts as a DuckDB database file does (read before DuckDB opens it, which would say something unrelated). */
function isDuckDbFile(file: string): boolean {
  const head = Buffer.alloc(12);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.subarray(8).equals(DUCKDB_MAGIC);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every command that reads a warehouse says the same thing when there is none, and one sentence when
 * `--db` names a folder or a file that is not a DuckDB database (a CSV, say), which is left as it is.
 */
export function assertWarehouse(db: string): void {
  if (!existsSync(db)) throw new Error(`There is no warehouse at ${db}: run \`impact ingest\` and \`impact build\` (or \`npm start\` for the demo) first.`);
  if (statSync(db).isDirectory()) throw new Error(`${db} is a folder, not a warehouse file: give --db the warehouse's .duckdb file.`);
  if (!isDuckDbFile(db)) throw new Error(`${db} is not a DuckDB database, so it is not a warehouse (nothing was changed): check --db.`);
}

export interface WarehousePaths {
  db: string;
  /** Staff-only store of rejected rows with their raw values; never handed to researchers. */
  quarantine: string;
}

export function warehousePaths(db: string): WarehousePaths {
  const dir = dirname(db);
  const stem = basename(db).replace(/\.duckdb$/, '');
  return {
    db,
    quarantine: join(dir, `${stem}.quarantine.duckdb`),
  };
}
