import type { Command } from 'commander';
import { entityNames } from '../../contract/entities.ts';
import { queryRows, withConnection } from '../../db/connection.ts';
import { qualified } from '../../sql.ts';
import { DEFAULT_DB } from '../../warehouse/paths.ts';
import { formatRows } from '../output.ts';
import { assertWarehouse } from './query.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show loads, row counts, rejects by reason and the latest build')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .action(async (opts: { db: string }) => {
      assertWarehouse(opts.db);
      await withConnection(opts.db, { readOnly: true }, async (conn) => {
        const counts = await queryRows(conn, entityNames.map((e) => `SELECT '${e}' AS entity, count(*)::BIGINT AS rows FROM ${qualified('raw', e)}`).join(' UNION ALL '));
        const loads = await queryRows(conn, `SELECT load_id AS load, entity, file_name AS file, rows_read AS read, rows_loaded AS loaded, rows_rejected AS rejected, rows_superseded AS superseded, strftime(finished_at, '%Y-%m-%d %H:%M') AS finished FROM meta.loads ORDER BY load_id`);
        const rejects = await queryRows(conn, `SELECT l.entity, r.column_name, r.problem, count(*)::BIGINT AS rows, min(r.reason) AS example_reason FROM meta.rejects r JOIN meta.loads l USING (load_id) GROUP BY ALL ORDER BY l.entity, rows DESC, r.column_name`);
        const builds = await queryRows(conn, `SELECT build_id AS build, as_of::VARCHAR AS as_of, left(snapshot_sha256, 12) AS snapshot, strftime(finished_at, '%Y-%m-%d %H:%M') AS finished, len(models) AS models FROM meta.builds ORDER BY build_id DESC LIMIT 1`);
        console.log(`Warehouse ${opts.db}\n\nRows by entity\n${formatRows(counts, 'table')}\n\nLoads\n${formatRows(loads, 'table')}\n\nRejects by reason\n${formatRows(rejects, 'table')}\n\nLatest build\n${formatRows(builds, 'table')}`);
      });
    });
}
