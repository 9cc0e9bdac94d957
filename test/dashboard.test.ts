// The funder dashboard as a funder would use it: built once from a demo warehouse with planted
// canaries, checked for anything row-level or under k in dist/, then every page opened in Debian's
// Chromium: no console error, no failed or off-site request, the expected marks, the marts' numbers,
// filters and the language switch. Screenshots go to test-output/screenshots/.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForBuildLock } from '../pipelines/dashboard/build.ts';
import { DASHBOARD_TABLE_NAMES, DASHBOARD_TABLES } from '../pipelines/dashboard/tables.ts';
import { publishedDataFiles, publishedTable, unsuppressedRows } from '../pipelines/dashboard/publish.ts';
import { differencingViolations, publicationViolations, sumsThatDoNotHold } from '../pipelines/privacy/differencing.ts';
import { serveStatic, type StaticSite } from '../pipelines/dashboard/serve.ts';
import { disclosureViolations, type PublishedTable } from '../pipelines/privacy/disclosure.ts';
import { LANGS, PAGES } from '../src/components/site.js';
import { launchChromium } from './browser.ts';
import { readOnlyRows, ROOT, runCli, tempDir } from './helpers.ts';

const dir = tempDir('impact-dashboard-');
const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
const input = join(dir.path, 'in');
const db = join(dir.path, 'w.duckdb');
const dist = join(dir.path, 'dist');
const SHOTS = join(ROOT, 'test-output', 'screenshots');

/** A participant planted in the demo input with identifiers found nowhere else: none may reach dist/. */
const CANARY = { ref: 'WJ-990001', name: 'Zqxcanary Vrblplant', email: 'zqxcanary.vrblplant@example.org', phone: '090-9999-0001' };

let site: StaticSite;
let browser: Browser;
const canaries = new Set<string>();

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile());
}

/** The published data files in dist/, by table name (Framework adds a content hash to each name). */
function dataFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of filesUnder(join(dist, '_file', 'data'))) {
    const name = /([\w-]+)\.[0-9a-f]{8}\.json$/.exec(file)?.[1];
    if (name) files.set(name, file);
  }
  return files;
}

function published(name: string): PublishedTable {
  const file = dataFiles().get(name);
  if (!file) throw new Error(`no data file ${name} in dist/`);
  return JSON.parse(readFileSync(file, 'utf8')) as PublishedTable;
}

type Row = Record<string, unknown>;
const rowsOf = (name: string) => published(name).rows as Row[];

beforeAll(async () => {
  const demo = await runCli(['demo', '--participants', '1000', '--dirty', '--out', input], env);
  expect(demo.code, demo.stderr).toBe(0);
  // Plant the canary as an enrolled participant: a copy of the first participant and enrolment.
  const plant = (file: string, edit: (row: string) => string) => {
    const row = readFileSync(join(input, file), 'utf8').split('\n')[1]!;
    appendFileSync(join(input, file), `${edit(row)}\n`);
  };
  plant('participants.csv', (row) => {
    const cells = row.split(',');
    return [CANARY.ref, ...cells.slice(1, 9), CANARY.name, CANARY.email, CANARY.phone, ''].join(',');
  });
  plant('enrollments.csv', (row) => row.replace(/^[^,]+,/, `${CANARY.ref},`).replace(/WJ-\d{6}/, CANARY.ref));
  const load = await runCli(['ingest', input, '--db', db], env);
  expect(load.code, load.stderr).toBe(0);
  const { asOf } = JSON.parse(readFileSync(join(input, 'manifest.json'), 'utf8')) as { asOf: string };
  const build = await runCli(['build', '--db', db, '--as-of', asOf], env);
  expect(build.code, build.stderr).toBe(0);
  const dashboard = await runCli(['dashboard', 'build', '--db', db, '--out', dist], env);
  expect(dashboard.code, dashboard.stderr).toBe(0);

  // Canaries: the planted identifiers, every pseudonymous id in the warehouse, and raw identifiers
  // (references, names, e-mail addresses) of the demo input.
  for (const value of Object.values(CANARY)) canaries.add(value);
  const ids = await readOnlyRows<{ id: string }>(db, "SELECT participant_id::VARCHAR AS id FROM core.participants UNION ALL SELECT replace(participant_id::VARCHAR, '-', '') FROM core.participants UNION ALL SELECT agreement_id FROM marts.cib_agreements UNION ALL SELECT employment_id FROM core.employment_spells");
  for (const { id } of ids) canaries.add(id);
  for (const line of readFileSync(join(input, 'participants.csv'), 'utf8').split('\n').slice(1, 200)) {
    const cells = line.split(',');
    for (const i of [0, 9, 10]) if ((cells[i] ?? '').length >= 6) canaries.add(cells[i]!);
  }
  mkdirSync(SHOTS, { recursive: true });
  site = await serveStatic(dist);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  dir.cleanup();
});

describe('dashboard build: private by construction', () => {
  it('has every page in both languages and no warehouse file', () => {
    const files = filesUnder(dist).map((f) => relative(dist, f));
    for (const lang of LANGS) for (const page of PAGES) expect(files).toContain(join(lang, `${page.path}.html`));
    expect(files).toContain('index.html');
    expect(files.filter((f) => /\.duckdb|\.wal$|\.parquet$|\.csv$/.test(f))).toEqual([]);
    // Offline: no module fetched from a CDN at build time, no `npm:` import in the pages.
    expect(files.filter((f) => f.startsWith('_npm'))).toEqual([]);
    for (const page of readdirSync(join(ROOT, 'src', '[lang]'))) expect(readFileSync(join(ROOT, 'src', '[lang]', page), 'utf8')).not.toMatch(/npm:/);
  });

  it('publishes no canary identifier in any file', () => {
    expect(canaries.size).toBeGreaterThan(1000);
    const leaks: string[] = [];
    for (const file of filesUnder(dist).filter((f) => !/\.(woff2|png)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const canary of canaries) if (text.includes(canary)) leaks.push(`${relative(dist, file)}: ${canary}`);
      // No raw participant reference, agreement or employment id of any kind either.
      for (const match of text.match(/\b(WJ-\d{6}|CIB-\d{7}|EMP-\d{8})\b/g) ?? []) leaks.push(`${relative(dist, file)}: ${match}`);
    }
    expect(leaks).toEqual([]);
  });

  it('publishes only suppressed tables: every data file passes disclosureViolations', () => {
    const files = dataFiles();
    expect([...files.keys()].sort()).toEqual([...DASHBOARD_TABLE_NAMES].sort());
    let suppressed = 0;
    for (const [name, file] of files) {
      const table = JSON.parse(readFileSync(file, 'utf8')) as PublishedTable;
      expect(table.k, name).toBe(10);
      expect(disclosureViolations(table, name)).toEqual([]);
      suppressed += table.suppressed.primary + table.suppressed.complementary;
    }
    // The demo has small cells (cohorts, late months): suppression is exercised, not vacuous.
    expect(suppressed).toBeGreaterThan(0);
    expect(rowsOf('funnel').some((r) => r.people === null)).toBe(true);
  });

  it('gives nothing away by subtraction: every data file read together passes the differencing check', () => {
    const tables = Object.fromEntries(publishedDataFiles(dist));
    expect(Object.keys(tables).sort()).toEqual([...DASHBOARD_TABLE_NAMES].sort());
    expect(publicationViolations(tables)).toEqual([]);
    // The linkage the checker subtracts along is in the files: totals shared across pages, and series.
    const declared = Object.values(tables).flatMap((t) => t.sums.map((s) => s.total.table)).filter(Boolean);
    expect(new Set(declared)).toEqual(new Set(['overview', 'overview-trend', 'funnel', 'time-to-job-summary', 'sib-contracts', 'income']));
    expect(differencingViolations(tables)).toEqual([]);

    // The example, by hand: each flow link for everyone minus its shown tracks is 0 or at least k
    // (where the link for everyone is published: a hidden one leaves nothing to subtract from).
    const flow = rowsOf('flow');
    for (const all of flow.filter((r) => r.breakdown === 'all' && r.people !== null)) {
      const tracks = flow.filter((r) => r.breakdown === 'track' && r.step === all.step && r.source === all.source && r.target === all.target);
      const hidden = Number(all.people) - tracks.reduce((a, r) => a + Number(r.people ?? 0), 0);
      if (tracks.some((r) => r.people !== null)) expect(hidden === 0 || hidden >= 10, JSON.stringify(all)).toBe(true);
    }
    // Kaplan–Meier: along each curve, the number at risk changes by 0 or at least k people between
    // published days, and nothing is published where fewer than k are at risk.
    const km = rowsOf('time-to-job');
    let steps = 0;
    for (const group of new Set(km.map((r) => `${r.breakdown}|${r.group_value}`))) {
      const shown = km.filter((r) => `${r.breakdown}|${r.group_value}` === group && r.at_risk !== null).sort((a, b) => Number(a.days) - Number(b.days));
      for (const [i, r] of shown.entries()) {
        expect(Number(r.at_risk)).toBeGreaterThanOrEqual(10);
        if (i === 0) continue;
        const change = Number(shown[i - 1]!.at_risk) - Number(r.at_risk);
        expect(change === 0 || change >= 10, `${group} day ${String(r.days)}: ${change}`).toBe(true);
        if (change > 0) steps++;
      }
    }
    expect(steps).toBeGreaterThan(20);
    expect(km.filter((r) => r.survival !== null).every((r) => r.at_risk !== null)).toBe(true);
  });

  it('declares only linkage that holds: before suppression, every declared sum adds up exactly in the demo warehouse', async () => {
    const tables: Record<string, PublishedTable> = {};
    for (const name of DASHBOARD_TABLE_NAMES) {
      const { spec } = DASHBOARD_TABLES[name] as { spec: Partial<PublishedTable> & Pick<PublishedTable, 'cells'> };
      tables[name] = { k: 10, cells: spec.cells, margins: [], sums: spec.sums ?? [], series: [], rows: await unsuppressedRows(name, db), suppressed: { primary: 0, complementary: 0 } };
    }
    expect(Object.values(tables).flatMap((t) => t.sums).length).toBeGreaterThan(20);
    expect(sumsThatDoNotHold(tables)).toEqual([]);
  });

  it('takes k from IMPACT_SUPPRESSION_K', async () => {
    const before = process.env.IMPACT_SUPPRESSION_K;
    process.env.IMPACT_SUPPRESSION_K = '50';
    try {
      const table = await publishedTable('funnel', db);
      expect(table.k).toBe(50);
      expect(disclosureViolations(table)).toEqual([]);
      expect(table.rows.filter((r) => r.people === null).length).toBeGreaterThan(rowsOf('funnel').filter((r) => r.people === null).length);
    } finally {
      if (before === undefined) delete process.env.IMPACT_SUPPRESSION_K;
      else process.env.IMPACT_SUPPRESSION_K = before;
    }
  });
});

interface Visit {
  page: Page;
  errors: string[];
  failed: string[];
  offsite: string[];
}

async function visit(path: string, viewport = { width: 1280, height: 900 }): Promise<Visit> {
  const page = await browser.newPage({ viewport });
  const v: Visit = { page, errors: [], failed: [], offsite: [] };
  const origin = new URL(site.url).host;
  page.on('console', (m) => m.type() === 'error' && v.errors.push(m.text()));
  page.on('pageerror', (e) => v.errors.push(e.message));
  page.on('requestfailed', (r) => v.failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && v.failed.push(`${r.url()} ${r.status()}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol !== 'data:' && url.host !== origin) v.offsite.push(r.url());
  });
  await page.goto(site.url + path, { waitUntil: 'networkidle' });
  await page.waitForSelector('main h1');
  return v;
}

const count = (page: Page, selector: string) => page.locator(selector).count();
const metric = (page: Page, name: string) => page.locator(`[data-metric="${name}"]`).first();

describe('dashboard in Chromium', () => {
  const paths = LANGS.flatMap((lang) => PAGES.map((p) => `/${lang}/${p.path === 'index' ? '' : p.path}`));

  it.each(paths)('%s loads with no console error and no failed or off-site request', async (path) => {
    const v = await visit(path);
    await v.page.waitForLoadState('networkidle');
    await v.page.waitForTimeout(200);
    await v.page.screenshot({ path: join(SHOTS, `${path.replace(/^\/|\/$/g, '').replace(/\//g, '-') || 'root'}.png`), fullPage: true });
    expect(v.errors).toEqual([]);
    expect(v.failed).toEqual([]);
    expect(v.offsite).toEqual([]);
    // Suppressed figures say so instead of showing a number.
    for (const text of await v.page.locator('.value.suppressed').allInnerTexts()) expect(text).toMatch(/suppressed \(<10\)|秘匿（10未満）/);
    await v.page.close();
  });

  it('draws each chart with one mark per published value', async () => {
    const funnel = rowsOf('funnel').filter((r) => r.breakdown === 'all');
    const flow = rowsOf('flow').filter((r) => r.breakdown === 'all');
    const km = rowsOf('time-to-job').filter((r) => r.breakdown === 'track' && r.survival !== null && Number(r.days) > 0);
    const income = rowsOf('income').filter((r) => r.breakdown === 'all');
    const status = rowsOf('fund-status');
    const balance = rowsOf('fund-projection').filter((r) => r.measure === 'fund_balance_jpy');
    const contract = rowsOf('sib-contracts')[0]!;
    const codes = rowsOf('sib-outcomes').filter((r) => r.contract_id === contract.contract_id);
    const gender = rowsOf('equity').filter((r) => r.breakdown === 'gender');
    const problems = new Set(rowsOf('data-quality').filter((r) => r.problem !== null).map((r) => r.problem));
    const shown = (rows: Row[], ...columns: string[]) => rows.flatMap((r) => columns.map((c) => r[c])).filter((v) => v !== null).length;
    const expected: Array<[string, string, number]> = [
      ['/en/', 'svg.spark', 6],
      ['/en/pathways', 'g.funnel-bar rect', shown(funnel, 'people')],
      ['/en/pathways', 'g.flow-link rect', shown(flow, 'people')],
      ['/en/employment', 'g.km-curve path', new Set(km.map((r) => r.group_value)).size],
      ['/en/employment', 'g.retention-bar rect', shown(rowsOf('retention'), 'rate')],
      ['/en/income', 'g.income-point circle', shown(income, 'income_median')],
      ['/en/income', 'g.uplift-point circle', shown(income, 'uplift_median_jpy')],
      ['/en/fund', 'g.status-bar rect', shown(status, 'agreements')],
      ['/en/fund', 'g.fan-year circle', shown(balance, 'p50')],
      ['/en/sib', 'g.outcome-bar rect', shown(codes, 'achieved', 'paid_count')],
      ['/en/equity', 'g.equity-bar rect', shown(gender, 'completion_share', 'employment_share', 'placement_rate_180')],
      ['/en/data-quality', 'g.reject-bar rect', problems.size],
    ];
    for (const [path, selector, n] of expected) {
      const v = await visit(path);
      await v.page.waitForSelector(selector.split(' ')[0]!);
      expect({ path, selector, n: await count(v.page, selector) }).toEqual({ path, selector, n });
      expect(n).toBeGreaterThan(0);
      await v.page.close();
    }
  });

  it('shows the marts’ numbers', async () => {
    const [funnel] = await readOnlyRows<Row>(db, `SELECT max(people) FILTER (WHERE stage = 'enrolled') AS enrolled,
        max(people_any_order) FILTER (WHERE stage = 'completed') AS completed,
        max(people_any_order) FILTER (WHERE stage = 'first_job') AS employed
      FROM marts.impact_funnel WHERE breakdown = 'all'`);
    const [fund] = await readOnlyRows<Row>(db, 'SELECT recovery_rate, collected_jpy::DOUBLE AS collected_jpy, pay_forward_multiplier FROM marts.cib_fund');
    const [sib] = await readOnlyRows<Row>(db, 'SELECT sum(paid_jpy)::DOUBLE AS paid FROM marts.sib_outcome_audit');
    const [km] = await readOnlyRows<Row>(db, "SELECT median_days FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all'");
    const [asOf] = await readOnlyRows<Row>(db, "SELECT strftime(max_by(as_of, build_id), '%Y-%m-%d') AS d FROM meta.builds");
    const value = async (page: Page, name: string) => Number(await metric(page, name).getAttribute('data-value'));

    const overview = await visit('/en/');
    expect(await value(overview.page, 'enrolled')).toBe(Number(funnel!.enrolled));
    expect(await value(overview.page, 'completed')).toBe(Number(funnel!.completed));
    expect(await value(overview.page, 'employed')).toBe(Number(funnel!.employed));
    expect(await value(overview.page, 'recovery_rate')).toBe(Number(fund!.recovery_rate));
    expect(await value(overview.page, 'outcome_payments_jpy')).toBe(Number(sib!.paid));
    // What the reader sees is that number, formatted.
    expect(await metric(overview.page, 'enrolled').innerText()).toBe(new Intl.NumberFormat('en-US').format(Number(funnel!.enrolled)));
    expect(await overview.page.locator('[data-as-of]').getAttribute('data-as-of')).toBe(asOf!.d);
    await overview.page.close();

    const fundPage = await visit('/ja/fund');
    expect(await value(fundPage.page, 'collected_jpy')).toBe(Number(fund!.collected_jpy));
    expect(await metric(fundPage.page, 'collected_jpy').innerText()).toBe(`${new Intl.NumberFormat('ja-JP').format(Number(fund!.collected_jpy))}円`);
    expect(await value(fundPage.page, 'pay_forward_multiplier')).toBe(Number(fund!.pay_forward_multiplier));
    await fundPage.page.close();

    const employment = await visit('/en/employment');
    expect(await value(employment.page, 'median-days-all')).toBe(Number(km!.median_days));
    await employment.page.close();
  });

  it('filters: a track changes the funnel, a period changes the fund chart, completion quarters change the curves', async () => {
    const [track] = await readOnlyRows<{ group_value: string; people: number }>(db,
      "SELECT group_value, people FROM marts.impact_funnel WHERE breakdown = 'track' AND stage = 'enrolled' ORDER BY group_value LIMIT 1");
    const v = await visit('/en/pathways');
    const enrolledAll = Number(await metric(v.page, 'funnel-enrolled').getAttribute('data-value'));
    await v.page.locator('form select').first().selectOption({ index: 1 });
    await expect.poll(async () => Number(await metric(v.page, 'funnel-enrolled').getAttribute('data-value'))).toBe(Number(track!.people));
    expect(Number(track!.people)).not.toBe(enrolledAll);
    await v.page.close();

    const fund = await visit('/en/fund');
    const before = await count(fund.page, 'g.fund-month circle');
    await fund.page.locator('form select').first().selectOption({ index: 1 });
    await expect.poll(() => count(fund.page, 'g.fund-month circle')).toBe(12);
    expect(before).toBeGreaterThan(12);
    await fund.page.close();

    const employment = await visit('/en/employment');
    await employment.page.getByLabel('Completion quarter').check();
    const quarters = new Set(rowsOf('time-to-job').filter((r) => r.breakdown === 'completion_quarter' && r.survival !== null && Number(r.days) > 0).map((r) => r.group_value));
    await expect.poll(() => count(employment.page, 'g.km-curve path')).toBe(Math.min(4, quarters.size));
    await employment.page.screenshot({ path: join(SHOTS, 'filter-employment-quarters.png'), fullPage: true });
    await employment.page.close();
  });

  it('switches language, remembers it, and the root page follows the choice', async () => {
    const v = await visit('/en/fund');
    await expect.poll(() => v.page.locator('main h1').innerText()).toBe('Career Impact Bond fund');
    await v.page.locator('#lang-switch').click();
    await v.page.waitForURL(/\/ja\/fund$/);
    await expect.poll(() => v.page.locator('main h1').innerText()).toBe('キャリア・インパクト・ボンド基金');
    expect(await v.page.evaluate('document.documentElement.lang')).toBe('ja');
    expect(await v.page.locator('.site-nav').innerText()).toContain('データ品質');
    await v.page.goto(site.url + '/');
    await v.page.waitForURL(/\/ja\/$/);
    await expect.poll(() => v.page.locator('main h1').innerText()).toBe('概要');
    await v.page.close();
  });

  it('is readable on a phone: nothing wider than the screen', async () => {
    for (const path of ['/ja/', '/en/employment', '/en/sib']) {
      const v = await visit(path, { width: 390, height: 844 });
      expect(await v.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await v.page.screenshot({ path: join(SHOTS, `phone-${path.replace(/\W+/g, '-')}.png`) });
      await v.page.close();
    }
  });
});

describe('dashboard builds of one checkout', () => {
  it('take turns: a second build waits for the first to finish, and gives up in one sentence when it never does', async () => {
    const lock = join(dir.path, 'build.lock');
    const heard: string[] = [];
    const first = await waitForBuildLock(lock, (line) => heard.push(line));
    const second = waitForBuildLock(lock, (line) => heard.push(line), 5_000);
    await new Promise((wake) => setTimeout(wake, 300));
    expect(heard.join('')).toMatch(/Another dashboard build is running in this checkout \(process \d+\); waiting for it to finish/);
    first();
    const release = await second;
    await expect(waitForBuildLock(lock, () => undefined, 600)).rejects.toThrow(/Another dashboard build is running in this checkout/);
    release();
  });
});
