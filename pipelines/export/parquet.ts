// impact export parquet: the marts as Parquet files that DuckDB, Spark, pandas or R read without
// this tool, the bridge to tools and deployments beyond one DuckDB file. A mart with a period column
// (a month, or a year) is written hive-partitioned by it (DIR/mart/period=2026-04-01/data_0.parquet);
// the others as one file each (DIR/mart.parquet). Marts holding a participant_id are not written:
// Parquet files travel further than the warehouse. manifest.json lists what was written. The folder
// is written beside its destination and renamed into place when complete.
import { existsSync, renameSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { queryRows, withConnection } from '../db/connection.ts';
import { onInterrupt } from '../interrupt.ts';
import { buildHint, incomeDataEnd } from '../models/as-of.ts';
import { assertWarehouse } from '../warehouse/paths.ts';
import { fsyncTree, removeOnInterrupt, removeStrayWorkCopies, restoreInterruptedSwap, workCopyPath } from '../work-copies.ts';
import { parquetSql } from './parquet-sql.ts';

/** Columns that mark a period, in order of preference; a mart is partitioned by the first it has. */
export const PERIOD_COLUMNS = ['period', 'year'];

export interface ParquetMart {
  name: string;
  rows: number;
  path: string;
  partitionedBy: string | null;
}

export interface ParquetExportResult {
  out: string;
  asOf: string | null;
  marts: ParquetMart[];
  skipped: Array<{ name: string; why: string }>;
}

export async function exportParquet(options: { db: string; out: string }): Promise<ParquetExportResult> {
  assertWarehouse(options.db);
  const out = options.out.replace(/\/+$/, '');
  const work = workCopyPath(out);
  const old = workCopyPath(out, 'old');
  await mkdir(dirname(out), { recursive: true });
  await restoreInterruptedSwap(out);
  await removeStrayWorkCopies(out);
  await mkdir(work);
  const forget = removeOnInterrupt(work);
  // Interrupted between moving the previous export aside and renaming the new one in: the previous one goes back.
  const forgetSwap = onInterrupt(() => existsSync(out) || !existsSync(old) || renameSync(old, out));
  try {
    const result = await withConnection(options.db, { readOnly: true, allowDirectories: [work] }, async (conn) => {
      const columns = await queryRows<{ table_name: string; column_name: string }>(conn, parquetSql.martColumns);
      if (columns.length === 0) throw new Error(`${options.db} has no marts: ${buildHint(await incomeDataEnd(conn).catch(() => null))} first.`);
      const source = (await queryRows<{ source: string }>(conn, parquetSql.asOfSource))[0]?.source;
      const asOf = source ? ((await queryRows<{ as_of: string }>(conn, parquetSql.asOf[source]!))[0]?.as_of ?? null) : null;
      const marts: ParquetMart[] = [];
      const skipped: ParquetExportResult['skipped'] = [];
      for (const name of [...new Set(columns.map((c) => c.table_name))]) {
        const own = columns.filter((c) => c.table_name === name).map((c) => c.column_name);
        if (own.includes('participant_id')) {
          skipped.push({ name, why: 'one row per participant (participant_id): Parquet files travel further than the warehouse' });
          continue;
        }
        const partitionedBy = PERIOD_COLUMNS.find((c) => own.includes(c)) ?? null;
        const path = partitionedBy ? name : `${name}.parquet`;
        // COPY reports the rows it wrote.
        const rows = Number((await conn.run(parquetSql.copy(name, join(work, path), partitionedBy))).rowsChanged);
        marts.push({ name, rows, path, partitionedBy });
      }
      return { out, asOf, marts, skipped };
    });
    await writeFile(join(work, 'manifest.json'), `${JSON.stringify({ source: basename(options.db), ...result, out: undefined, read: parquetSql.howToRead }, null, 2)}\n`);
    await fsyncTree(work);
    if (existsSync(out)) await rename(out, old);
    await rename(work, out);
    await rm(old, { recursive: true, force: true });
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
    forgetSwap();
    forget();
  }
}
