import { resolve } from 'node:path';
import type { Command } from 'commander';
import { queryValue, withConnection } from '../../db/connection.ts';
import { exportParquet } from '../../export/parquet.ts';
import { DEFAULT_EXTRACT_K, defaultExtractPath, exportResearch } from '../../export/research-extract.ts';
import { buildSql } from '../../warehouse/meta-sql.ts';
import { assertWarehouse, DEFAULT_DB } from '../../warehouse/paths.ts';
import { formatRows, info } from '../output.ts';

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new Error(`${flag} must be a whole number, not "${value}".`);
  return n;
}

export function registerExport(program: Command): void {
  const command = program.command('export').description('Write what leaves the warehouse: an anonymised research extract, or the marts as Parquet');

  command
    .command('research')
    .description('Write an anonymised DuckDB extract for one research recipient (consenting participants, random ids, k-anonymous quasi-identifiers, a processing log)')
    .requiredOption('--recipient <name>', 'who receives it (recorded in the extract)')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--out <file>', 'extract file (default out/research-<recipient>-<as-of>.duckdb)')
    .option('--k <n>', 'every combination of quasi-identifiers is shared by at least k participants', String(DEFAULT_EXTRACT_K))
    .action(async (opts: { recipient: string; db: string; out?: string; k: string }) => {
      const k = wholeNumber(opts.k, '--k');
      assertWarehouse(opts.db);
      const out = opts.out ?? defaultExtractPath(opts.recipient, await latestAsOf(opts.db));
      const r = await exportResearch({ db: opts.db, out, recipient: opts.recipient, k });
      const steps = r.log.map((l) => ({ action: l.action, target: l.target, records: l.records ?? '', detail: l.detail }));
      console.log(formatRows(steps.filter((s) => s.action !== 'excluded'), 'table'));
      info(`Wrote ${resolve(r.out)} for ${r.recipient} (extract ${r.extractId}, as of ${r.asOf}, k = ${r.k}): ${r.released} of ${r.participants} participants, ${r.generalised} with a quasi-identifier generalised, ${r.suppressed} suppressed; income top-coded at ${r.incomeTopCode} JPY.`);
      info('The file is readable only by you (mode 600). Hand it over by a secure channel and record the extract id against the recipient.');
    });

  command
    .command('parquet')
    .description('Write the marts as Parquet (hive-partitioned by period where they have one), readable without this tool')
    .requiredOption('--out <dir>', 'output folder (replaced when the export is complete)')
    .option('--db <file>', 'warehouse or research extract', DEFAULT_DB)
    .action(async (opts: { out: string; db: string }) => {
      const r = await exportParquet({ db: opts.db, out: opts.out });
      console.log(formatRows(r.marts.map((m) => ({ mart: m.name, rows: m.rows, path: m.path, partitioned_by: m.partitionedBy ?? '' })), 'table'));
      for (const s of r.skipped) info(`Not exported: ${s.name}, ${s.why}.`);
      info(`Wrote ${r.marts.length} marts${r.asOf ? ` as of ${r.asOf}` : ''} to ${resolve(r.out)} (manifest.json lists them).`);
    });
}

async function latestAsOf(db: string): Promise<string | undefined> {
  return withConnection(db, { readOnly: true }, (conn) => queryValue<string>(conn, buildSql.latestAsOf)).catch(() => undefined);
}
