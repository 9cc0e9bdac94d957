import type { Command } from 'commander';
import { queryRows, withConnection } from '../../db/connection.ts';
import { assertWarehouse, DEFAULT_DB } from '../../warehouse/paths.ts';
import { formatRows, type Format } from '../output.ts';

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run one read-only SQL query against the warehouse')
    .argument('<sql>', 'the query, e.g. "SELECT * FROM marts.cohort_summary"')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (sql: string, opts: { db: string; format: Format }) => {
      if (!['table', 'csv', 'json'].includes(opts.format)) throw new Error(`--format must be table, csv or json, not "${opts.format}".`);
      assertWarehouse(opts.db);
      const rows = await withConnection(opts.db, { readOnly: true }, (conn) => queryRows(conn, sql)).catch((error: Error) => {
        if (/read-only mode/.test(error.message)) throw new Error('impact query only reads: the warehouse changes through impact ingest and impact build.', { cause: error });
        throw error;
      });
      console.log(formatRows(rows, opts.format));
    });
}
