import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { queryRows, withConnection } from '../../db/connection.ts';
import { quarantineSql } from '../../warehouse/meta-sql.ts';
import { assertWarehouse, DEFAULT_DB, warehousePaths } from '../../warehouse/paths.ts';
import { formatRows, info } from '../output.ts';
import { parseSpreadsheetEncoding, spreadsheetCsv, SPREADSHEET_ENCODINGS, writeOwnerOnly } from '../spreadsheet-csv.ts';

export function registerRejects(program: Command): void {
  program
    .command('rejects')
    .description('Export rejected rows with their raw values from the staff-only quarantine, to fix the source files')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--load <id>', 'only this load')
    .option('--out <file>', 'write CSV here instead of printing a table (owner-only, formulas neutralised for spreadsheets)')
    .option('--encoding <enc>', `encoding of the --out file: ${SPREADSHEET_ENCODINGS.join(', ')} (utf-8-bom is what Excel reads as UTF-8)`, 'utf-8-bom')
    .action(async (opts: { db: string; load?: string; out?: string; encoding: string }) => {
      const encoding = parseSpreadsheetEncoding(opts.encoding);
      assertWarehouse(opts.db);
      const { quarantine } = warehousePaths(opts.db);
      if (!existsSync(quarantine)) throw new Error(`There is no quarantine at ${quarantine}: nothing has been rejected yet, or nothing loaded.`);
      // Rows of a run that failed or was killed stay in the quarantine until the next ingest prunes
      // them; reading through the warehouse shows only loads it kept.
      const rows = await withConnection(opts.db, { readOnly: true, allowFiles: [quarantine] }, async (conn) => {
        await conn.run(quarantineSql.attachReadOnly(quarantine));
        return queryRows(conn, quarantineSql.export, { load: opts.load ?? null });
      });
      if (opts.out) {
        writeOwnerOnly(opts.out, spreadsheetCsv(rows, encoding, opts.out));
        info(`Wrote ${rows.length} rejects to ${opts.out} (${encoding}; readable only by you, mode 600: it holds raw values).`);
      } else {
        console.log(formatRows(rows, 'table'));
      }
    });
}
