// The PDF reports, end to end: a demo warehouse plus a contract with no referrals, reports made by
// the real CLI, read back with pdftotext (every printed amount against the marts, to the yen) and
// rendered with pdftoppm (no page is blank).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, withConnection } from '../pipelines/db/connection.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { planSources } from '../pipelines/ingest/sources.ts';
import { publicationViolations } from '../pipelines/privacy/differencing.ts';
import { funderTables, loadFunderData } from '../reports/funder.ts';
import { yen, type Lang } from '../reports/i18n.ts';
import { listContracts, loadMunicipalData, municipalTables } from '../reports/municipal.ts';
import { readSnapshot } from '../reports/snapshot.ts';
import { parsePeriod, type Period } from '../reports/period.ts';
import { buildReportScenario, NO_REFERRALS_CONTRACT, type ReportScenario } from './fixtures/report-scenario.ts';
import { runCli, tempDir } from './helpers.ts';

const dir = tempDir('impact-reports-');
const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
const ISSUED_ON = '2026-11-24';
let scenario: ReportScenario;
let snapshotHash: string;

beforeAll(async () => {
  scenario = await buildReportScenario(dir.path);
  const r = await runCli(['report', 'snapshot', '--db', scenario.db], env);
  expect(r.code).toBe(0);
  snapshotHash = r.stdout.trim();
}, 300_000);
afterAll(() => dir.cleanup());

// --- reading PDFs back ---------------------------------------------------------------------------

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '');

/** Grey levels of an 8-bit RGB or grey PNG (what pdftoppm writes), unfiltered. */
function pngGrey(file: string): Uint8Array {
  const buf = readFileSync(file);
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 3;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      channels = ({ 0: 1, 2: 3, 6: 4 } as Record<number, number>)[data[9]!]!;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = new Uint8Array(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? line[x - channels]! : 0;
      const b = prev[x]!;
      const c = x >= channels ? prev[x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const add = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      line[x] = (line[x]! + add) & 0xff;
    }
    for (let x = 0; x < width; x++) out[y * width + x] = line[x * channels]!;
    prev = line;
  }
  return out;
}

/** Renders every page at 50 dpi and returns, per page, the share of non-white pixels and the grey variance. */
function pageInk(file: string): Array<{ ink: number; variance: number }> {
  const out = join(dir.path, `png-${Math.random().toString(36).slice(2)}`);
  execFileSync('pdftoppm', ['-r', '50', '-png', file, out]);
  const pngs = readdirSync(dir.path).filter((f) => f.startsWith(out.split('/').at(-1)!)).sort();
  return pngs.map((f) => {
    const grey = pngGrey(join(dir.path, f));
    let sum = 0;
    let sq = 0;
    let ink = 0;
    for (const g of grey) ((sum += g), (sq += g * g), (ink += g < 200 ? 1 : 0));
    const mean = sum / grey.length;
    return { ink: ink / grey.length, variance: sq / grey.length - mean * mean };
  });
}

function expectPagesNotBlank(file: string): void {
  const pages = pageInk(file);
  expect(pages.length).toBe(pageCount(file));
  for (const p of pages) {
    expect(p.ink).toBeGreaterThan(0.003);
    expect(p.variance).toBeGreaterThan(20);
  }
}

/** Every footer says "x / y" with y the page count, x = 1 … y in order, and the snapshot hash. */
function expectFooters(file: string, text: string, lang: Lang): void {
  const label = lang === 'ja' ? 'データスナップショット:' : 'Data snapshot:';
  const footers = lines(text).filter((l) => l.startsWith(label) && /\d+\s*\/\s*\d+$/.test(l));
  const n = pageCount(file);
  expect(footers.map((l) => /(\d+)\s*\/\s*(\d+)$/.exec(l)!.slice(1).map(Number))).toEqual(Array.from({ length: n }, (_, i) => [i + 1, n]));
  for (const f of footers) expect(f).toContain(snapshotHash);
}

const amountsIn = (text: string, lang: Lang): number[] =>
  [...text.matchAll(lang === 'ja' ? /(−?)([\d,]+)円/g : /(−?)¥([\d,]+)/g)].map((m) => (m[1] ? -1 : 1) * Number(m[2]!.replaceAll(',', '')));

/** The amount on the line that starts with `label` (the first amount if several). */
function amountAfter(text: string, label: string, lang: Lang): number[] {
  const line = lines(text).find((l) => l.startsWith(label));
  expect(line, label).toBeDefined();
  return amountsIn(line!.slice(label.length), lang);
}

// --- what the marts say ---------------------------------------------------------------------------

interface Expected {
  cap: number;
  paidPeriod: number;
  paidBefore: number;
  paidToDate: number;
  achievedPeriod: number;
  referrals: number;
  codes: Array<{ code: string; price: number; paid: number; paidToDate: number; removedMax: number; removedMaxToDate: number; removedCap: number; removedCapToDate: number }>;
  audit: Array<{ participant_id: string; achieved_on: string; price: number; paid: number; removed_max: number; removed_cap: number }>;
}

/** Straight from marts.sib_outcome_audit (not marts.sib_payments, which the report reads): the two must agree. */
async function expected(contract: string, p: Period): Promise<Expected> {
  return withConnection(scenario.db, { readOnly: true }, async (c) => {
    const params = { c: contract, e: p.end };
    const [head] = await queryRows<{ cap: number; referrals: number }>(c, `
      SELECT payment_cap_jpy::DOUBLE AS cap,
             (SELECT count(*) FROM core.sib_referrals r WHERE r.contract_id = $c AND r.referred_on <= $e::DATE)::DOUBLE AS referrals
      FROM core.sib_contracts WHERE contract_id = $c`, params);
    const audit = await queryRows<Expected['audit'][number] & { achieved_on: string; outcome_code: string }>(c, `
      SELECT participant_id, outcome_code, strftime(achieved_on, '%Y-%m-%d') AS achieved_on, price_jpy::DOUBLE AS price, paid_jpy::DOUBLE AS paid,
             removed_by_max_count_jpy::DOUBLE AS removed_max, removed_by_cap_jpy::DOUBLE AS removed_cap
      FROM marts.sib_outcome_audit WHERE contract_id = $c AND achieved_on <= $e::DATE ORDER BY payment_order`, { c: contract, e: p.end });
    const card = await queryRows<{ code: string; price: number }>(c, 'SELECT outcome_code AS code, price_jpy::DOUBLE AS price FROM core.sib_outcomes WHERE contract_id = $c ORDER BY outcome_code', { c: contract });
    const inPeriod = audit.filter((a) => a.achieved_on >= p.start);
    const sum = (rows: typeof audit, k: 'paid' | 'removed_max' | 'removed_cap') => rows.reduce((a, r) => a + r[k], 0);
    return {
      cap: head!.cap,
      referrals: head!.referrals,
      paidPeriod: sum(inPeriod, 'paid'),
      paidBefore: sum(audit.filter((a) => a.achieved_on < p.start), 'paid'),
      paidToDate: sum(audit, 'paid'),
      achievedPeriod: inPeriod.length,
      codes: card.map(({ code, price }) => {
        const all = audit.filter((a) => a.outcome_code === code);
        const now = inPeriod.filter((a) => a.outcome_code === code);
        return {
          code, price,
          paid: sum(now, 'paid'), paidToDate: sum(all, 'paid'),
          removedMax: sum(now, 'removed_max'), removedMaxToDate: sum(all, 'removed_max'),
          removedCap: sum(now, 'removed_cap'), removedCapToDate: sum(all, 'removed_cap'),
        };
      }),
      audit: inPeriod,
    };
  });
}

const LABELS = {
  ja: { due: '当期の支払額', before: '前期までの累計支払額', toDate: '当期末までの累計支払額', cap: '支払上限額', remaining: '支払上限の残額', amount: '支払額', removedMax: '上限件数（max_count）による不支給', removedCap: '支払上限による減額', achieved: '当期に達成された成果', referrals: '当期末までの紹介者数' },
  en: { due: 'Payment due this period', before: 'Paid before this period', toDate: 'Cumulative payments to the end of the period', cap: 'Payment cap', remaining: 'Cap remaining', amount: 'Amount', removedMax: 'Removed by max_count', removedCap: 'Removed by the payment cap', achieved: 'Outcomes achieved this period', referrals: 'Referrals by the end of the period' },
} as const;

/** Every amount the report prints is one the marts give, and every figure the report must give is printed where it belongs. */
function expectAmounts(text: string, e: Expected, lang: Lang): void {
  const L = LABELS[lang];
  expect(amountAfter(text, L.due, lang)).toEqual([e.paidPeriod]);
  expect(amountAfter(text, L.before, lang)).toEqual([e.paidBefore]);
  expect(amountAfter(text, L.toDate, lang)).toEqual([e.paidToDate]);
  expect(amountAfter(text, L.cap, lang)).toEqual([e.cap]);
  expect(amountAfter(text, L.remaining, lang)).toEqual([e.cap - e.paidToDate]);
  const achieved = lines(text).find((l) => l.startsWith(L.achieved))!;
  expect(Number(achieved.slice(L.achieved.length).trim().replaceAll(',', ''))).toBe(e.achievedPeriod);
  const referrals = lines(text).find((l) => l.startsWith(L.referrals))!;
  expect(Number(referrals.slice(L.referrals.length).trim().replaceAll(',', ''))).toBe(e.referrals);

  // Section 2: one table per outcome code, in rate-card order: [this period, to date].
  const rows = (label: string) => lines(text).filter((l) => l.startsWith(label + ' ')).map((l) => amountsIn(l.slice(label.length), lang));
  expect(rows(L.amount)).toEqual(e.codes.map((c) => [c.paid, c.paidToDate]));
  expect(rows(L.removedMax)).toEqual(e.codes.map((c) => [c.removedMax, c.removedMaxToDate]));
  expect(rows(L.removedCap)).toEqual(e.codes.map((c) => [c.removedCap, c.removedCapToDate]));

  // Annex C: each outcome of the period on one line with its id and amounts, then the totals.
  const text1 = lines(text);
  for (const a of e.audit) {
    const line = text1.find((l) => l.includes(a.participant_id) && l.includes(a.achieved_on));
    expect(line, a.participant_id).toBeDefined();
    expect(amountsIn(line!, lang)).toEqual([a.price, a.paid, a.removed_max, a.removed_cap]);
  }
  if (e.audit.length > 0) {
    const total = text1.find((l) => l.startsWith(lang === 'ja' ? '合計' : 'Total'))!;
    const s = (k: 'price' | 'paid' | 'removed_max' | 'removed_cap') => e.audit.reduce((x, a) => x + a[k], 0);
    expect(amountsIn(total, lang)).toEqual([s('price'), s('paid'), s('removed_max'), s('removed_cap')]);
    expect(s('paid')).toBe(e.paidPeriod);
  }

  // Nothing else: every amount printed anywhere is one of the above.
  const known = new Set<number>([e.cap, e.paidPeriod, e.paidBefore, e.paidToDate, e.cap - e.paidToDate, 0]);
  for (const c of e.codes) for (const v of [c.price, c.paid, c.paidToDate, c.removedMax, c.removedMaxToDate, c.removedCap, c.removedCapToDate]) known.add(v);
  for (const a of e.audit) for (const v of [a.price, a.paid, a.removed_max, a.removed_cap]) known.add(v);
  const s = (k: 'price' | 'paid' | 'removed_max' | 'removed_cap') => e.audit.reduce((x, a) => x + a[k], 0);
  for (const k of ['price', 'paid', 'removed_max', 'removed_cap'] as const) known.add(s(k));
  // Definitions quote the income threshold (250,000円) as part of the words, not as an amount paid.
  const definitionAmounts = new Set(lines(text).filter((l) => /月額総収入が|gross monthly income of at least/.test(l)).flatMap((l) => amountsIn(l, lang)));
  for (const amount of amountsIn(text, lang)) {
    if (!known.has(amount)) expect(definitionAmounts.has(amount), `unexpected amount ${yen(amount, lang)}`).toBe(true);
  }
}

async function municipal(contract: string, period: string, lang: Lang, extra: string[] = []): Promise<{ file: string; text: string }> {
  const file = join(dir.path, `${contract}_${period}_${lang}.pdf`);
  const r = await runCli(['report', 'municipality', '--contract', contract, '--period', period, '--lang', lang, '--db', scenario.db, '--out', file, '--issued-on', ISSUED_ON, ...extra], env);
  expect(r.stderr).not.toMatch(/error/i);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(file);
  return { file, text: pdfText(file) };
}

// --- the tests ------------------------------------------------------------------------------------

describe('municipal report', () => {
  it('prints, for every demo contract in the latest complete quarter, exactly the marts\' amounts, with page x / y and the snapshot hash', async () => {
    const out = join(dir.path, 'all');
    const r = await runCli(['report', 'municipality', '--all', '--period', '2026Q3', '--db', scenario.db, '--out', out, '--issued-on', ISSUED_ON], env);
    expect(r.code).toBe(0);
    const files = readdirSync(out).filter((f) => f.endsWith('.pdf')).sort();
    expect(files).toEqual(scenario.contracts.map((c) => `${c}_2026Q3_ja.pdf`));
    expect(r.stderr).toContain(`Wrote ${scenario.contracts.length} municipal reports`);
    for (const contract of scenario.contracts) {
      const file = join(out, `${contract}_2026Q3_ja.pdf`);
      const text = pdfText(file);
      expect(text).toContain('成果連動型委託 成果報告書');
      expect(text).toContain(contract);
      expect(text).toContain('2026年10月31日（令和8年10月31日）');
      expect(text).toContain('2026年11月24日（令和8年11月24日）');
      expectAmounts(text, await expected(contract, parsePeriod('2026Q3')), 'ja');
      expectFooters(file, text, 'ja');
    }
    const fonts = execFileSync('pdffonts', [join(out, files[0]!)], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansJP-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes/);
  }, 120_000);

  it('shows the capped contract paid exactly its cap, with what the cap removed, and renders no blank page', async () => {
    const capped = await withConnection(scenario.db, { readOnly: true }, (c) =>
      queryRows<{ contract_id: string }>(c, `SELECT contract_id FROM marts.sib_payments GROUP BY contract_id HAVING sum(removed_by_cap_jpy) > 0 AND contract_id LIKE 'SIB-EDOGAWA%'`));
    expect(capped).toHaveLength(1);
    const { file, text } = await municipal(capped[0]!.contract_id, 'FY2025', 'ja');
    const e = await expected(capped[0]!.contract_id, parsePeriod('FY2025'));
    expect(e.codes.some((c) => c.removedCap > 0)).toBe(true);
    expect(e.paidToDate).toBe(e.cap);
    expectAmounts(text, e, 'ja');
    expect(lines(text).find((l) => l.startsWith('上限使用率'))).toMatch(/100\.0%$/);
    expectFooters(file, text, 'ja');
    expectPagesNotBlank(file);
  }, 60_000);

  it('reports a period with no outcomes: nothing due, no audit lines, the notes say so', async () => {
    const [empty] = await withConnection(scenario.db, { readOnly: true }, (c) =>
      queryRows<{ contract_id: string; month: string }>(c, `
        SELECT c.contract_id, strftime(m.month, '%Y-%m') AS month
        FROM core.sib_contracts c, (SELECT unnest(generate_series(DATE '2023-04-01', DATE '2026-10-01', INTERVAL 1 MONTH))::DATE AS month) m
        WHERE c.contract_id LIKE 'SIB-SHINJUKU%' AND m.month >= c.start_date
          AND NOT EXISTS (SELECT 1 FROM marts.sib_outcome_audit a WHERE a.contract_id = c.contract_id AND date_trunc('month', a.achieved_on) = m.month)
        ORDER BY m.month LIMIT 1`));
    expect(empty).toBeDefined();
    const { file, text } = await municipal(empty!.contract_id, empty!.month, 'ja');
    const e = await expected(empty!.contract_id, parsePeriod(empty!.month));
    expect(e.achievedPeriod).toBe(0);
    expectAmounts(text, e, 'ja');
    expect(amountAfter(text, '当期の支払額', 'ja')).toEqual([0]);
    expect(text).toContain('当期に達成された成果はありません。');
    expectFooters(file, text, 'ja');
    expectPagesNotBlank(file);
  }, 60_000);

  it('reports a contract with no referrals yet', async () => {
    const { file, text } = await municipal(NO_REFERRALS_CONTRACT, '2026Q3', 'ja');
    const e = await expected(NO_REFERRALS_CONTRACT, parsePeriod('2026Q3'));
    expect(e.referrals).toBe(0);
    expectAmounts(text, e, 'ja');
    expect(text).toContain('この契約にはまだ紹介者がいません。');
    expectFooters(file, text, 'ja');
    expectPagesNotBlank(file);
  }, 60_000);

  it('speaks English on request, with the same amounts, the era beside the dates, and says when the period has not ended', async () => {
    const contract = scenario.contracts.find((c) => c.startsWith('SIB-YOKOHAMA'))!;
    const { file, text } = await municipal(contract, 'FY2026', 'en');
    expect(text).toContain('Outcome report');
    expect(text).toContain('FY2026 (1 April 2026 – 31 March 2027)');
    expect(text).toContain('the period had not ended by the as-of date (2026-10-31)');
    expect(text).toContain('31 October 2026 (Reiwa 8)');
    expect(text).not.toMatch(/[円]/);
    const e = await expected(contract, parsePeriod('FY2026'));
    expect(e.codes.some((c) => c.removedMaxToDate > 0)).toBe(true);
    expectAmounts(text, e, 'en');
    expectFooters(file, text, 'en');
    expectPagesNotBlank(file);
  }, 60_000);

  it('shows breakdown cells below k as suppressed, never a small count', async () => {
    const { text } = await municipal(scenario.contracts.find((c) => c.startsWith('SIB-SHINJUKU'))!, 'FY2025', 'ja', []);
    const section = text.slice(text.indexOf('4. 内訳'), text.indexOf('付録 検証資料'));
    expect(section).toContain('秘匿（10未満）');
    // Every number in a breakdown row is at least k.
    for (const l of lines(section).filter((x) => /^(女性|男性|ノンバイナリー|回答なし|難民|補完|人道|その他|cloud|data|software|web|20\d\d)/.test(x))) {
      const counts = l.replace(/秘匿（10未満）/g, '').replace(/^\S+/, '').match(/\b\d[\d,]*\b/g) ?? [];
      for (const n of counts) expect(Number(n.replaceAll(',', ''))).toBeGreaterThanOrEqual(10);
    }
  }, 60_000);

  it('publishes breakdowns from which the totals printed in the same report subtract nothing (differencing check)', async () => {
    let suppressed = 0;
    let checked = 0;
    await withConnection(scenario.db, { readOnly: true }, async (conn) => {
      const snapshot = await readSnapshot(conn);
      const contracts = await listContracts(conn);
      for (const period of ['2024-06', '2025Q1', 'FY2024', 'FY2025', '2026Q3']) {
        for (const { contract_id } of contracts) {
          const d = await loadMunicipalData(conn, contracts, contract_id, parsePeriod(period), snapshot);
          const tables = municipalTables(d);
          const breakdowns = ['gender', 'residence_status', 'track', 'cohort'];
          expect(publicationViolations(tables, breakdowns), `${contract_id} ${period}`).toEqual([]);
          // Every group of the programme is a row, whether or not anyone of it achieved an outcome.
          expect(tables.gender!.rows.length).toBeGreaterThanOrEqual(4);
          for (const name of breakdowns) suppressed += tables[name]!.suppressed.primary + tables[name]!.suppressed.complementary;
          checked++;
        }
      }
      const funder = funderTables(await loadFunderData(conn, parsePeriod('2026Q3'), snapshot));
      expect(publicationViolations(funder)).toEqual([]);
    });
    expect(checked).toBeGreaterThan(10);
    expect(suppressed).toBeGreaterThan(0);
  }, 60_000);

  it('breakdowns and referrals by cohort to the end of the period cannot be subtracted across reports: every count shown for a cell, in any month, quarter or year, differs from the others by 0 or at least k', async () => {
    const k = 10;
    let compared = 0;
    await withConnection(scenario.db, { readOnly: true }, async (conn) => {
      const snapshot = await readSnapshot(conn);
      const contracts = await listContracts(conn);
      for (const { contract_id, start_date } of contracts) {
        // Every month end a report can have (a month, a quarter and a fiscal year all end on one).
        const shown = new Map<string, Set<number>>();
        for (let month = start_date.slice(0, 7); month <= snapshot.asOf.slice(0, 7); month = nextMonth(month)) {
          const tables = municipalTables(await loadMunicipalData(conn, contracts, contract_id, parsePeriod(month), snapshot));
          for (const name of ['gender', 'residence_status', 'track', 'cohort']) {
            for (const row of tables[name]!.rows) {
              for (const [code, v] of Object.entries(row)) {
                if (code === 'group' || typeof v !== 'number') continue;
                const key = `${name}|${String(row.group)}|${code}`;
                shown.set(key, (shown.get(key) ?? new Set()).add(v));
              }
            }
          }
        }
        for (const [key, values] of shown) {
          const sorted = [...values].sort((a, b) => a - b);
          for (let i = 1; i < sorted.length; i++) {
            expect(sorted[i]! - sorted[i - 1]!, `${contract_id} ${key}: ${sorted.join(', ')}`).toBeGreaterThanOrEqual(k);
            compared++;
          }
        }
      }
    });
    expect(compared).toBeGreaterThan(0);
  }, 120_000);

  it('gives the same bytes for the same warehouse, options and issue date', async () => {
    const contract = scenario.contracts[0]!;
    const a = await municipal(contract, '2026-09', 'ja');
    const bytesA = readFileSync(a.file);
    const b = await municipal(contract, '2026-09', 'ja');
    expect(readFileSync(b.file).equals(bytesA)).toBe(true);
  }, 60_000);

  it('refuses an unknown contract, a period that is none of the three forms, and a period after the as-of date, in one sentence', async () => {
    const run = (args: string[]) => runCli(['report', 'municipality', '--db', scenario.db, ...args], env);
    let r = await run(['--contract', 'SIB-NOPE', '--period', '2026Q3']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/no SIB contract "SIB-NOPE".*SIB-EDOGAWA-2023/)]);
    r = await run(['--contract', scenario.contracts[0]!, '--period', '2026-Q5']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/--period must be a month \(2026-09\)/)]);
    r = await run(['--contract', scenario.contracts[0]!, '--period', 'FY2027']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/starts after the warehouse's as-of date 2026-10-31/)]);
    r = await run(['--period', '2026Q3']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/either --contract ID or --all/)]);
  }, 60_000);
});

describe('funder report', () => {
  it('prints the CIB fund and SIB figures of the marts, in English by default and in Japanese on request', async () => {
    const fund = await withConnection(scenario.db, { readOnly: true }, async (c) => {
      const [f] = await queryRows<{ funded: number; collected: number; arrears: number; period: number }>(c, `
        SELECT funded_amount_jpy::DOUBLE AS funded, collected_jpy::DOUBLE AS collected, arrears_jpy::DOUBLE AS arrears,
               (SELECT sum(paid_jpy) FROM core.cib_agreement_months WHERE month BETWEEN DATE '2026-07-01' AND DATE '2026-09-30')::DOUBLE AS period
        FROM marts.cib_fund`);
      return f!;
    });
    for (const lang of ['en', 'ja'] as const) {
      const file = join(dir.path, `funder_${lang}.pdf`);
      const args = ['report', 'funder', '--period', '2026Q3', '--db', scenario.db, '--out', file, '--issued-on', ISSUED_ON];
      const r = await runCli(lang === 'en' ? args : [...args, '--lang', 'ja'], env);
      expect(r.code).toBe(0);
      const text = pdfText(file);
      const L = lang === 'en'
        ? { funded: 'Scholarships funded', collected: 'Repayments received to date', period: 'Repayments received this period', arrears: 'Arrears' }
        : { funded: '奨学金の拠出額', collected: '返済受取額（累計）', period: '当期の返済受取額', arrears: '延滞額' };
      expect(amountAfter(text, L.funded, lang)).toEqual([fund.funded]);
      expect(amountAfter(text, L.collected, lang)).toEqual([fund.collected]);
      expect(amountAfter(text, L.period, lang)).toEqual([fund.period]);
      expect(amountAfter(text, L.arrears, lang)).toEqual([fund.arrears]);
      for (const contract of scenario.contracts.filter((c) => !c.startsWith('SIB-BENCH'))) {
        const e = await expected(contract, parsePeriod('2026Q3'));
        const line = lines(text).find((l) => l.startsWith(contract))!;
        expect(amountsIn(line, lang)).toEqual([e.paidPeriod, e.paidToDate, e.cap]);
      }
      expectFooters(file, text, lang);
      expectPagesNotBlank(file);
    }
  }, 120_000);
});

describe('data snapshot', () => {
  it('is the documented hash of the build\'s input hash, as-of date and models, recomputed here from meta.builds and meta.loads', async () => {
    const [b] = await withConnection(scenario.db, { readOnly: true }, (c) =>
      queryRows<{ snapshot: string; as_of: string; models: string[]; loads: string[] }>(c, `
        SELECT snapshot_sha256 AS snapshot, strftime(as_of, '%Y-%m-%d') AS as_of, models,
               (SELECT list(sha256 ORDER BY load_id) FROM meta.loads) AS loads
        FROM meta.builds ORDER BY build_id DESC LIMIT 1`));
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    expect(sha(b!.loads.join('\n'))).toBe(b!.snapshot);
    expect(snapshotHash).toBe(sha(`impact-report-snapshot/1\n${b!.snapshot}\n${b!.as_of}\n${b!.models.join(',')}`));
  });

  it('refuses a warehouse with files loaded after its latest build', async () => {
    const stale = join(dir.path, 'stale.duckdb');
    copyFileSync(scenario.db, stale);
    const late = join(dir.path, 'late');
    mkdirSync(late, { recursive: true });
    writeFileSync(join(late, 'sib_contracts-late.csv'), 'contract_id,municipality_code,name,start_date,end_date,payment_cap_jpy\nSIB-LATE-2027,131041,late,2027-04-01,2028-03-31,1000000\n');
    await ingest(planSources([late], {}).sources, { db: stale, key: { key: Buffer.alloc(32, 7), origin: 'test key', created: false } });
    const r = await runCli(['report', 'funder', '--period', '2026Q3', '--db', stale, '--out', join(dir.path, 'stale.pdf')], env);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/loaded after the latest build.*run `impact build --as-of 2026-10-31`/)]);
  }, 60_000);
});

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
