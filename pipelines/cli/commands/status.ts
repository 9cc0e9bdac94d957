import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { queryRows, withConnection } from '../../db/connection.ts';
import { quarantineSql, statusSql } from '../../warehouse/meta-sql.ts';
import { assertWarehouse, DEFAULT_DB, warehousePaths } from '../../warehouse/paths.ts';
import { formatRows } from '../output.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Show loads, row counts, rejects by reason and the latest build')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .action(async (opts: { db: string }) => {
      assertWarehouse(opts.db);
      const { quarantine } = warehousePaths(opts.db);
      // File names are staff-only: shown when the quarantine beside the warehouse can be read.
      const attached = existsSync(quarantine);
      await withConnection(opts.db, { readOnly: true, allowFiles: [quarantine] }, async (conn) => {
        if (attached) await conn.run(quarantineSql.attachReadOnly(quarantine));
        await conn.run(statusSql.fileNames(attached));
        const counts = await queryRows(conn, statusSql.rowCounts);
        const loads = await queryRows(conn, statusSql.loads);
        const rejects = await queryRows(conn, statusSql.rejectsByProblem);
        const builds = await queryRows(conn, statusSql.latestBuild);
        console.log(`Warehouse ${opts.db}\n\nRows by entity\n${formatRows(counts, 'table')}\n\nLoads\n${formatRows(loads, 'table')}\n\nRejects by column and problem\n${formatRows(rejects, 'table')}\n\nLatest build\n${formatRows(builds, 'table')}`);
      });
    });
}
