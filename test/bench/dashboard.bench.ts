// The funder dashboard: how long it takes to build from a demo warehouse (the same 2,000 participants
// as `npm start`), and how many bytes each page transfers in Chromium, fonts counted apart (the issue's
// budget is 1 MB a page excluding fonts). Prints a table and JSON; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRows } from '../../pipelines/cli/output.ts';
import { buildDashboard } from '../../pipelines/dashboard/build.ts';
import { serveStatic } from '../../pipelines/dashboard/serve.ts';
import { generateDemo } from '../../pipelines/demo/generate.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { planSources } from '../../pipelines/ingest/sources.ts';
import { build } from '../../pipelines/models/build.ts';
import { LANGS, PAGES } from '../../src/components/site.js';
import { launchChromium } from '../browser.ts';

const PARTICIPANTS = 2000;
const BUDGET = 1_000_000;
const key = { key: Buffer.alloc(32, 7), origin: 'benchmark key', created: false };
const dir = mkdtempSync(join(tmpdir(), 'impact-bench-dashboard-'));
try {
  const manifest = await generateDemo({ participants: PARTICIPANTS, seed: 1, outDir: join(dir, 'in'), dirty: true });
  const db = join(dir, 'warehouse.duckdb');
  await ingest(planSources([join(dir, 'in')], {}).sources, { db, key });
  await build({ db, asOf: manifest.asOf });

  const { seconds } = await buildDashboard({ db, out: join(dir, 'dist'), log: () => {} });
  const site = await serveStatic(join(dir, 'dist'));
  const browser = await launchChromium();
  const rows: Array<{ page: string; requests: number; bytes: number; font_bytes: number; within_budget: boolean }> = [];
  try {
    for (const lang of LANGS) {
      for (const p of PAGES) {
        const path = `/${lang}/${p.path === 'index' ? '' : p.path}`;
        // A fresh context per page: an empty cache, as for a first visit.
        const context = await browser.newContext();
        const page = await context.newPage();
        const sizes: Array<Promise<{ font: boolean; bytes: number }>> = [];
        page.on('response', (r) => {
          sizes.push(r.body().then((b) => ({ font: r.url().includes('/_fonts/'), bytes: b.length }), () => ({ font: false, bytes: 0 })));
        });
        await page.goto(site.url + path, { waitUntil: 'networkidle' });
        const all = await Promise.all(sizes);
        const bytes = all.filter((s) => !s.font).reduce((n, s) => n + s.bytes, 0);
        const fontBytes = all.filter((s) => s.font).reduce((n, s) => n + s.bytes, 0);
        rows.push({ page: path, requests: all.length, bytes, font_bytes: fontBytes, within_budget: bytes <= BUDGET });
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await site.close();
  }
  console.log(`\nDashboard: built from ${PARTICIPANTS} demo participants in ${seconds.toFixed(1)} s; bytes per page (uncompressed, first visit):`);
  console.log(formatRows(rows, 'table'));
  console.log(JSON.stringify({ benchmark: 'dashboard', participants: PARTICIPANTS, build_seconds: +seconds.toFixed(2), pages: rows }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
