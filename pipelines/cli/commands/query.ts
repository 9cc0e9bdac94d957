import type { Command } from 'commander';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, withConnection } from '../../db/connection.ts';
import { warehouseKeySql } from '../../warehouse/meta-sql.ts';
import { assertWarehouse, DEFAULT_DB } from '../../warehouse/paths.ts';
import { formatRows, printResult, type Format } from '../output.ts';

/**
 * The one statement in `sql`, counted by DuckDB's own parser (a regex on `;` would miscount
 * semicolons in strings and comments). The connection is sealed (see db/connection.ts), so the
 * statement can read the warehouse and nothing else.
 */
async function runOneStatement(conn: DuckDBConnection, db: string, sql: string): Promise<Record<string, unknown>[]> {
  // The seal keeps the quarantine out of reach only if --db names the warehouse: the quarantine (raw
  // references, raw rows) is a DuckDB file too, and is never queried this way.
  if ((await queryRows(conn, warehouseKeySql.exists)).length === 0) {
    throw new Error(`${db} is not a warehouse (it has no meta.warehouse; a quarantine, for one, is read only through impact rejects): check --db.`);
  }
  if (sql.trim() === '') throw new Error('impact query needs one SQL statement, and was given none.');
  const statements = await conn.extractStatements(sql);
  if (statements.count !== 1) throw new Error(`impact query runs one statement at a time, and was given ${statements.count}.`);
  return queryRows(conn, sql);
}

/** DuckDB's refusals, as one sentence saying what impact query is for. */
function explain(error: Error): Error {
  if (/read-only mode/.test(error.message)) return new Error('impact query only reads: the warehouse changes through impact ingest and impact build.', { cause: error });
  if (/configuration has been locked/.test(error.message)) return new Error('impact query cannot change settings: it runs with the warehouse read-only and sealed.', { cause: error });
  if (/disabled by configuration|disabled through configuration/.test(error.message)) {
    return new Error('impact query reads the warehouse and nothing else: it cannot read or write files, attach databases, load extensions or reach the network.', { cause: error });
  }
  return error;
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('Run one read-only SQL statement against the warehouse (no files, network or settings)')
    .argument('<sql>', 'the query, e.g. "SELECT * FROM marts.cohort_summary"')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (sql: string, opts: { db: string; format: Format }) => {
      if (!['table', 'csv', 'json'].includes(opts.format)) throw new Error(`--format must be table, csv or json, not "${opts.format}".`);
      assertWarehouse(opts.db);
      const rows = await withConnection(opts.db, { readOnly: true }, (conn) => runOneStatement(conn, opts.db, sql)).catch((error: Error) => {
        throw explain(error);
      });
      printResult(formatRows(rows, opts.format));
    });
}
