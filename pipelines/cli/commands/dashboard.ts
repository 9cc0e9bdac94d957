// `impact dashboard build|preview`: the funder dashboard, a static site built from the warehouse.
import type { Command } from 'commander';
import { buildDashboard, DEFAULT_DIST } from '../../dashboard/build.ts';
import { dashboardWarehouse } from '../../dashboard/publish.ts';
import { serveStatic } from '../../dashboard/serve.ts';
import { assertWarehouse } from '../../warehouse/paths.ts';
import { info } from '../output.ts';

export async function runDashboardBuild(opts: { db?: string; out: string; quiet?: boolean }): Promise<string> {
  const db = opts.db ?? dashboardWarehouse();
  assertWarehouse(db);
  info(`Building the dashboard from ${db} ...`);
  const { out, seconds } = await buildDashboard({ db, out: opts.out, log: opts.quiet ? () => {} : undefined });
  info(`Built the dashboard in ${seconds.toFixed(1)} s: ${out}`);
  return out;
}

/** A TCP port a person can give: a whole number from 1 to 65535. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new Error(`--port must be a whole number from 1 to 65535, not "${text}".`);
  return port;
}

export function registerDashboard(program: Command): void {
  const dashboard = program.command('dashboard').description('Build or preview the funder dashboard (a static site, private by construction)');
  dashboard
    .command('build')
    .description('Build the dashboard from the warehouse (opened read-only) into a static folder')
    .option('--db <file>', 'warehouse file (default: IMPACT_DB or out/warehouse.duckdb)')
    .option('--out <dir>', 'output folder', DEFAULT_DIST)
    .action(async (opts: { db?: string; out: string }) => {
      await runDashboardBuild(opts);
    });
  dashboard
    .command('preview')
    .description('Serve the built dashboard on this machine (builds it first unless --no-build)')
    .option('--db <file>', 'warehouse file (default: IMPACT_DB or out/warehouse.duckdb)')
    .option('--out <dir>', 'the built site', DEFAULT_DIST)
    .option('--port <n>', 'port', '3000')
    .option('--no-build', 'serve the folder as it is')
    .action(async (opts: { db?: string; out: string; port: string; build: boolean }) => {
      const port = parsePort(opts.port);
      if (opts.build) await runDashboardBuild(opts);
      const site = await serveStatic(opts.out, port);
      console.log(`Dashboard: ${site.url}/ (English ${site.url}/en/, 日本語 ${site.url}/ja/). Ctrl-C to stop.`);
    });
}
