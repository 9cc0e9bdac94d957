// Every change to the warehouse goes through withWarehouseWrite: copy the file, change the copy,
// checkpoint it and rename it over the original. Readers (dashboard loaders, researchers, impact
// query) keep reading the old file meanwhile and never see a half-done change; a run that fails or
// is killed leaves only a stray work copy, which the next writer deletes.
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDatabase } from '../db/connection.ts';
import { warehouseDdl } from './ddl.ts';
import { upgradeLayout } from './layout.ts';
import { acquireLock } from './lock.ts';
import { fsyncFile, removeOnInterrupt, removeStrayWorkCopies, workCopyPath } from '../work-copies.ts';

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
  const forget = removeOnInterrupt(work);
  try {
    await removeStrayWorkCopies(db);
    if (existsSync(db)) await copyFile(db, work);
    const instance = await openDatabase(work);
    let result: T;
    try {
      const conn = await instance.connect();
      try {
        await upgradeLayout(conn, db);
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
    forget();
    release();
  }
}
