// Every change to the warehouse goes through withWarehouseWrite: copy the file, change the copy,
// checkpoint it and rename it over the original. Readers (dashboard loaders, researchers, impact
// query) keep reading the old file meanwhile and never see a half-done change; a run that fails or
// is killed leaves only a stray work copy, which the next writer deletes.
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { getEntity, entityNames } from '../contract/entities.ts';
import { storedColumns } from '../contract/warehouse-columns.ts';
import { openDatabase, queryRows } from '../db/connection.ts';
import { warehouseDdl } from './ddl.ts';
import { acquireLock } from './lock.ts';
import { fsyncFile, removeStrayWorkCopies, workCopyPath } from '../work-copies.ts';

/** The warehouse was made by an older version of impact; its file is untouched. */
export class OutdatedWarehouseError extends Error {
  override name = 'OutdatedWarehouseError';
}

/**
 * A warehouse made by an older version of impact cannot take new loads: rows of the new layout would sit beside rows
 * of the old one (a participant_id as text beside one as UUID never joins). Say so plainly instead.
 */
async function assertCurrentLayout(conn: DuckDBConnection, db: string): Promise<void> {
  const legacy = await conn.runAndReadAll("SELECT 1 FROM duckdb_columns() WHERE schema_name = 'meta' AND table_name = 'loads' AND column_name = 'file_name'");
  if (legacy.currentRowCount > 0) {
    throw new OutdatedWarehouseError(`The warehouse ${db} was made by an older version of impact (it keeps file names in meta.loads). Move it aside and load the source files again.`);
  }
  const stored = await queryRows<{ table_name: string; column_name: string; data_type: string }>(conn, "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'raw'");
  const expected = new Map<string, string>(entityNames.flatMap((entity) => storedColumns(getEntity(entity)).map((c) => [`${entity}.${c.name}`, c.sqlType] as const)));
  const plain = (type: string) => type.replace(/\s+/g, '').toUpperCase();
  const changed = stored.find((c) => {
    const type = expected.get(`${c.table_name}.${c.column_name}`);
    return type !== undefined && plain(type) !== plain(c.data_type);
  });
  if (changed) {
    const type = expected.get(`${changed.table_name}.${changed.column_name}`)!;
    throw new OutdatedWarehouseError(`The warehouse ${db} was made by an older version of impact (raw.${changed.table_name}.${changed.column_name} is ${changed.data_type}; this version stores ${type}). Move it aside and load the source files again.`);
  }
}

/**
 * Runs `fn` on a connection to a work copy of the warehouse and swaps the copy in if `fn` succeeds. `fn` may open
 * more connections to the copy with `connect` (to load several files at once); it must close them before it returns.
 */
export async function withWarehouseWrite<T>(db: string, fn: (conn: DuckDBConnection, connect: () => Promise<DuckDBConnection>) => Promise<T>): Promise<T> {
  await mkdir(dirname(db), { recursive: true });
  if (existsSync(`${db}.wal`)) {
    throw new Error(`${db}.wal exists: another program wrote to the warehouse without finishing. Open it once with DuckDB (which replays and checkpoints the log), then run again.`);
  }
  const release = acquireLock(`${db}.lock`, `The warehouse ${db} is being changed by another impact process; try again when it has finished`);
  const work = workCopyPath(db);
  try {
    await removeStrayWorkCopies(db);
    if (existsSync(db)) await copyFile(db, work);
    const instance = await openDatabase(work);
    let result: T;
    try {
      const conn = await instance.connect();
      try {
        await assertCurrentLayout(conn, db);
        // One transaction: as separate statements, each CREATE and COMMENT would be committed (and synced) on its own.
        await conn.run(`BEGIN TRANSACTION;\n${warehouseDdl()}\nCOMMIT;`);
        result = await fn(conn, () => instance.connect());
        await conn.run('CHECKPOINT');
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }
    await fsyncFile(work);
    await rename(work, db);
    return result;
  } finally {
    await rm(work, { force: true });
    await rm(`${work}.wal`, { force: true });
    release();
  }
}
