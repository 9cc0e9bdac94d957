// npm start: the whole pipeline on the demo data, then where everything is.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { DemoManifest } from '../../demo/generate.ts';
import { DEFAULT_DB, warehousePaths } from '../../warehouse/paths.ts';
import { OutdatedWarehouseError } from '../../warehouse/layout.ts';
import { loadSql } from '../../warehouse/meta-sql.ts';
import { queryRows, withConnection } from '../../db/connection.ts';
import { sha256File } from '../../ingest/load-file.ts';
import { defaultKeyPath } from '../../privacy/key.ts';
import { info } from '../output.ts';
import { runBuild } from './build.ts';
import { runDashboardBuild } from './dashboard.ts';
import { DEMO_DIR, runDemo } from './demo.ts';
import { runIngest } from './ingest.ts';
import { runDemoReports } from './report.ts';

/**
 * Loads the demo files. A warehouse made by an older version of impact that holds nothing but demo files is loaded
 * again into a new one, the old files kept beside it under a new name; any other is left alone, with the error.
 */
async function loadDemo(db: string): Promise<void> {
  try {
    await runIngest([DEMO_DIR], { db });
  } catch (error) {
    if (!(error instanceof OutdatedWarehouseError) || !(await holdsOnlyDemoFiles(db))) throw error;
    const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
    const paths = warehousePaths(db);
    for (const file of [paths.db, paths.quarantine]) if (existsSync(file)) renameSync(file, `${file}.old-layout-${stamp}`);
    info(`${db} was made by an older version of impact from the demo files alone; it is kept as ${db}.old-layout-${stamp} and the demo is loaded into a new warehouse.`);
    await runIngest([DEMO_DIR], { db });
  }
}

/** Whether every file loaded into `db` is one of the demo files; false when that cannot be told. */
async function holdsOnlyDemoFiles(db: string): Promise<boolean> {
  try {
    const files = readdirSync(DEMO_DIR, { withFileTypes: true }).filter((f) => f.isFile());
    const demo = new Set(await Promise.all(files.map((f) => sha256File(join(DEMO_DIR, f.name)))));
    const loads = await withConnection(db, { readOnly: true }, (conn) => queryRows<{ sha256: string }>(conn, loadSql.loaded));
    return loads.every((load) => demo.has(load.sha256));
  } catch {
    return false;
  }
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Generate the demo data (if absent), load it, build the warehouse and the dashboard: what `npm start` runs')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .action(async (opts: { db: string }) => {
      const manifestPath = join(DEMO_DIR, 'manifest.json');
      if (!existsSync(manifestPath)) {
        info(`Generating the demo data in ${DEMO_DIR} ...`);
        await runDemo({ participants: '2000', seed: '1', out: DEMO_DIR, dirty: true });
      }
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DemoManifest;
      await loadDemo(opts.db);
      await runBuild({ db: opts.db, asOf: manifest.asOf });
      const dashboard = await runDashboardBuild({ db: opts.db, out: 'dist', quiet: true });
      const reports = await runDemoReports(opts.db, manifest.asOf);
      const paths = warehousePaths(opts.db);
      console.log(`
Done. The demo programme (${manifest.participants} synthetic participants, as of ${manifest.asOf}):
  demo input files     ${resolve(DEMO_DIR)}
  DuckDB warehouse     ${resolve(paths.db)}   (open read-only: duckdb -readonly ${paths.db})
  rejected rows        ${resolve(paths.quarantine)}   (staff only)
  pseudonymisation key ${process.env.IMPACT_KEY ? 'IMPACT_KEY environment variable' : defaultKeyPath()}   (outside the repository; back it up)
  data dictionary      ${resolve('docs/data-dictionary.md')}
  funder dashboard     ${dashboard}   (serve it: npx impact dashboard preview --no-build)
  PDF reports          ${reports}
Try:
  npx impact status
  npx impact query "SELECT * FROM marts.cohort_summary LIMIT 10"
  npx impact export research --recipient "Demo University"   (an anonymised extract; see docs/researchers.md)`);
    });
}
