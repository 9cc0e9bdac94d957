// PDF reports: the time per municipal report and for `--all` over 100 contracts (the demo's three,
// one with no referrals and 96 more, each referring 60 of 2,000 demo participants), and the funder
// report, against the 0.5 s per report target. In process (the CLI's start-up is not the report's
// cost); the CLI itself is timed once for `--all`. Prints a table and JSON; asserts nothing.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writeFunderReport, writeMunicipalReports } from '../../reports/generate.ts';
import { parsePeriod } from '../../reports/period.ts';
import { buildReportScenario } from '../fixtures/report-scenario.ts';
import { tempDir } from '../helpers.ts';

const TARGET_S = 0.5;
const CONTRACTS = 100;
const dir = tempDir('impact-bench-reports-');
try {
  const t0 = performance.now();
  const scenario = await buildReportScenario(dir.path, { participants: 2000, contracts: CONTRACTS - 4, referralsPerContract: 60 });
  console.log(`\nReports: scenario with ${scenario.contracts.length} SIB contracts built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const period = parsePeriod('2026Q3');
  const req = { db: scenario.db, period, lang: 'ja' as const, issuedOn: '2026-11-24' };

  // The first report pays for loading the font and the modules; time it apart from the rest.
  const first = await writeMunicipalReports(req, [scenario.contracts[0]!], () => join(dir.path, 'first.pdf'));
  const t1 = performance.now();
  const all = await writeMunicipalReports(req, null, (id) => join(dir.path, 'all', `${id}.pdf`));
  const allSeconds = (performance.now() - t1) / 1000;
  const per = all.reports.map((r) => r.ms / 1000).sort((a, b) => a - b);
  const q = (p: number) => per[Math.min(per.length - 1, Math.floor(p * per.length))]!;
  const funder = await writeFunderReport({ ...req, lang: 'en' }, join(dir.path, 'funder.pdf'));

  const t2 = performance.now();
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../bin/impact.mjs'), 'report', 'municipality', '--all', '--period', '2026Q3', '--db', scenario.db, '--out', join(dir.path, 'cli'), '--issued-on', '2026-11-24'], { stdio: 'ignore' });
  const cliSeconds = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../bin/impact.mjs'), 'report', 'municipality', '--contract', scenario.contracts[0]!, '--period', '2026Q3', '--db', scenario.db, '--out', join(dir.path, 'one.pdf'), '--issued-on', '2026-11-24'], { stdio: 'ignore' });
  const cliOneSeconds = (performance.now() - t3) / 1000;

  const rows = [
    ['first report (cold: font, modules)', first.reports[0]!.ms / 1000],
    ['municipal report, median', q(0.5)],
    ['municipal report, p90', q(0.9)],
    ['municipal report, max', per.at(-1)!],
    [`--all over ${all.reports.length} contracts, per report`, allSeconds / all.reports.length],
    ['funder report', funder.report.ms / 1000],
    [`impact report municipality --all (CLI, ${all.reports.length} PDFs), per report`, cliSeconds / all.reports.length],
    ['impact report municipality --contract (CLI, one PDF, wall time with Node start-up)', cliOneSeconds],
  ] as const;
  console.log(`\n| measure | seconds | ratio to the ${TARGET_S} s target |\n|---|---:|---:|`);
  for (const [name, s] of rows) console.log(`| ${name} | ${s.toFixed(3)} | ${(s / TARGET_S).toFixed(2)} |`);
  console.log(`--all over ${all.reports.length} contracts: ${allSeconds.toFixed(1)} s in process, ${cliSeconds.toFixed(1)} s through the CLI`);
  console.log(JSON.stringify({
    benchmark: 'reports', contracts: all.reports.length, target_s: TARGET_S,
    first_s: +(first.reports[0]!.ms / 1000).toFixed(3), median_s: +q(0.5).toFixed(3), p90_s: +q(0.9).toFixed(3), max_s: +per.at(-1)!.toFixed(3),
    all_s: +allSeconds.toFixed(2), cli_all_s: +cliSeconds.toFixed(2), cli_one_s: +cliOneSeconds.toFixed(2), funder_s: +(funder.report.ms / 1000).toFixed(3),
  }));
} finally {
  dir.cleanup();
}
