// Career Impact Bond engine (docs/metrics/cib.md): agreements worked by hand, run through both the
// TypeScript reference (pipelines/metrics/cib) and the SQL model core.cib_agreement_months;
// properties of the rules over random terms and income paths, with SQL = reference for every case;
// the demo data against the engine; the projection's speed on 10,000 agreements (printed, not asserted).
import { join } from 'node:path';
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../pipelines/db/connection.ts';
import { generateDemo } from '../pipelines/demo/generate.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { planSources } from '../pipelines/ingest/sources.ts';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import {
  agreementSchedule,
  donorPool,
  firstRepaymentMonth,
  monthDate,
  monthIndex,
  monthObligation,
  projectRecovery,
  projectRecoveryInWorkers,
  shareLibrary,
  shareOfIncome,
  walkByMonth,
  walkByStretch,
  yearOfOffset,
  windowEndMonth,
  type AgreementMonth,
  type CibTerms,
  type Ledger,
  type OpenAgreement,
} from '../pipelines/metrics/cib/index.ts';
import { build, parseSqlModel } from '../pipelines/models/build.ts';
import { quotedString } from '../pipelines/sql.ts';
import { ROOT, readOnlyRows, tempDir, useMemoryConnection } from './helpers.ts';
import { syntheticCibBook } from './fixtures/synthetic-cib-book.ts';

// --- an agreement as both implementations take it ----------------------------------------------------

interface Case {
  id: string;
  signedOn: string;
  funded: number;
  threshold: number;
  rate: number;
  cap: number;
  maxPayments: number;
  windowMonths: number;
  graceMonths: number;
  completedOn: string | null;
  withdrawnOn: string | null;
  /** [YYYY-MM, gross income] */
  income: Array<[string, number]>;
  /** [paid_on, amount], negative for a refund */
  payments: Array<[string, number]>;
}

const MODELS = join(ROOT, 'pipelines', 'models');
const d = (v: string | null) => (v === null ? 'NULL' : `DATE ${quotedString(v)}`);

function termsOf(c: Case): CibTerms {
  return {
    signedMonth: monthIndex(c.signedOn),
    fundedJpy: c.funded,
    thresholdJpy: c.threshold,
    shareRate: c.rate,
    capJpy: c.cap,
    maxPayments: c.maxPayments,
    windowMonths: c.windowMonths,
    graceMonths: c.graceMonths,
  };
}

/** Income for a month reaches staging.income once the month has wholly elapsed by the as-of date. */
function reportable(month: string, asOf: string): boolean {
  const m = monthIndex(month) + 1;
  const lastDay = new Date(Date.UTC(Math.floor(m / 12), m % 12, 0)).toISOString().slice(0, 10);
  return lastDay <= asOf;
}

function reference(c: Case, asOf: string): AgreementMonth[] {
  const income = new Map(c.income.filter(([m]) => reportable(m, asOf)).map(([m, v]) => [monthIndex(m), v]));
  const paid = new Map<number, number>();
  for (const [on, amount] of c.payments) if (on <= asOf) paid.set(monthIndex(on), (paid.get(monthIndex(on)) ?? 0) + amount);
  const completion = {
    completedMonth: c.completedOn && c.completedOn <= asOf ? monthIndex(c.completedOn) : null,
    withdrawnMonth: c.withdrawnOn && c.withdrawnOn <= asOf ? monthIndex(c.withdrawnOn) : null,
  };
  return agreementSchedule(termsOf(c), completion, income, paid, monthIndex(asOf));
}

async function insert(conn: DuckDBConnection, table: string, rows: string[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    if (chunk.length) await conn.run(`INSERT INTO ${table} VALUES ${chunk.map((r) => `(${r.join(', ')})`).join(', ')}`);
  }
}

/** Loads the cases into the tables core.cib_agreement_months reads (only the columns it uses) and runs it. */
async function runSql(conn: DuckDBConnection, cases: Case[], asOf: string): Promise<Map<string, AgreementMonth[]>> {
  await conn.run(`SET VARIABLE as_of = DATE ${quotedString(asOf)}`);
  for (const schema of ['staging', 'core']) await conn.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await conn.run(`
    CREATE TABLE staging.cib_agreements (agreement_id VARCHAR, participant_id VARCHAR, signed_on DATE, funded_amount_jpy BIGINT,
      income_threshold_jpy BIGINT, income_share_rate DOUBLE, payment_cap_jpy BIGINT, max_payments INTEGER,
      payment_window_months INTEGER, grace_months INTEGER);
    CREATE TABLE staging.repayments (payment_id VARCHAR, agreement_id VARCHAR, paid_on DATE, amount_jpy BIGINT);
    CREATE TABLE core.participants (participant_id VARCHAR, completed_on DATE, withdrawn_on DATE);
    CREATE TABLE core.income_months (participant_id VARCHAR, period DATE, gross_income_jpy BIGINT);`);
  // Staging cuts at the as-of date: the cases give raw facts, so cut them the same way here.
  const cut = (v: string | null) => (v !== null && v <= asOf ? v : null);
  await insert(conn, 'staging.cib_agreements', cases.map((c) => [quotedString(c.id), quotedString(`P-${c.id}`), d(c.signedOn), String(c.funded), String(c.threshold), String(c.rate), String(c.cap), String(c.maxPayments), String(c.windowMonths), String(c.graceMonths)]));
  await insert(conn, 'core.participants', cases.map((c) => [quotedString(`P-${c.id}`), d(cut(c.completedOn)), d(cut(c.completedOn) ? null : cut(c.withdrawnOn))]));
  await insert(conn, 'core.income_months', cases.flatMap((c) => c.income.filter(([m]) => reportable(m, asOf)).map(([m, v]) => [quotedString(`P-${c.id}`), d(`${m}-01`), String(v)])));
  await insert(conn, 'staging.repayments', cases.flatMap((c, i) => c.payments.filter(([on]) => on <= asOf).map(([on, v], j) => [quotedString(`PAY-${i}-${j}`), quotedString(c.id), d(on), String(v)])));
  await parseSqlModel('core', join(MODELS, 'core', 'cib_agreement_months.sql')).run(conn, 'core.cib_agreement_months');
  const rows = await queryRows<Record<string, string | number | null>>(conn, 'SELECT * FROM core.cib_agreement_months ORDER BY agreement_id, month');
  const out = new Map<string, AgreementMonth[]>();
  for (const r of rows) {
    const list = out.get(String(r.agreement_id)) ?? [];
    list.push({
      month: monthIndex(String(r.month)),
      status: r.status as AgreementMonth['status'],
      incomeJpy: r.gross_income_jpy === null ? null : Number(r.gross_income_jpy),
      obligationJpy: Number(r.obligation_jpy),
      paidJpy: Number(r.paid_jpy),
      cumulativeObligationJpy: Number(r.cumulative_obligation_jpy),
      cumulativePaidJpy: Number(r.cumulative_paid_jpy),
      forgivenJpy: Number(r.forgiven_jpy),
      arrearsJpy: Number(r.arrears_jpy),
      paymentsCounted: Number(r.payments_counted),
    });
    out.set(String(r.agreement_id), list);
  }
  return out;
}

const memory = useMemoryConnection();
let conn: DuckDBConnection;
beforeAll(() => {
  conn = memory();
});

const row = (rows: AgreementMonth[], month: string) => rows.find((r) => r.month === monthIndex(month))!;
const last = (rows: AgreementMonth[]) => rows.at(-1)!;

// --- the rules, one by one ----------------------------------------------------------------------------

describe('CIB rules', () => {
  it('first repayment month and window end', () => {
    // Completed 2024-09-30 with 2 grace months: Oct and Nov are grace, Dec 2024 is the first repayment month.
    expect(monthDate(firstRepaymentMonth({ graceMonths: 2 }, monthIndex('2024-09-30')))).toBe('2024-12-01');
    // A 60-month window from Dec 2024 ends in Nov 2029 (Dec 2024 + 59 months).
    expect(monthDate(windowEndMonth({ graceMonths: 2, windowMonths: 60 }, monthIndex('2024-09-30')))).toBe('2029-11-01');
  });

  it('takes the floor of rate × income exactly', () => {
    expect(shareOfIncome(0.1, 250_000)).toBe(25_000);
    // In binary floating point 0.57 * 300000 = 170999.99999999997; exactly it is 171000.
    expect(Math.floor(0.57 * 300_000)).toBe(170_999);
    expect(shareOfIncome(0.57, 300_000)).toBe(171_000);
    expect(shareOfIncome(0.29, 100)).toBe(29);
    expect(shareOfIncome(0.08, 333_333)).toBe(26_666); // 26666.64
  });

  it('owes nothing below the threshold or unreported, and caps the cumulative obligation', () => {
    const t = { thresholdJpy: 250_000, shareRate: 0.1, capJpy: 100_000 };
    expect(monthObligation(t, 249_999, 0)).toBe(0);
    expect(monthObligation(t, null, 0)).toBe(0);
    expect(monthObligation(t, 250_000, 0)).toBe(25_000);
    expect(monthObligation(t, 333_333, 95_000)).toBe(5_000);
    expect(monthObligation(t, 333_333, 100_000)).toBe(0);
  });
});

// --- worked examples, computed by hand ------------------------------------------------------------------

const AS_OF = '2026-03-31';
const base = { funded: 600_000, withdrawnOn: null as string | null, payments: [] as Array<[string, number]> };

const WORKED: Case[] = [
  {
    // CAP, with a deferred month, an unreported month and a refund.
    // Completed 2024-09-30, grace 2: Sep–Nov 2024 grace, first repayment month Dec 2024.
    // Dec 300,000 ≥ 250,000: floor(0.1 × 300,000) = 30,000 (cum 30,000, counted 1).
    // Jan 2025 200,000 < 250,000: deferred. Feb 2025 no report: unreported.
    // Mar 250,000 (at the threshold counts): 25,000 (cum 55,000, counted 2).
    // Apr 400,000: 40,000 (cum 95,000, counted 3).
    // May 333,333: floor(33,333.3) = 33,333, cut to 100,000 − 95,000 = 5,000 (cum 100,000 = cap): completed_cap, counted 4.
    // Paid: 30,000 (Jan) + 25,000 (Apr) + 40,000 (May) − 40,000 reversed + 40,000 again + 5,000 (Jun) = 100,000; arrears 0.
    ...base, id: 'A-cap', signedOn: '2024-04-01', threshold: 250_000, rate: 0.1, cap: 100_000, maxPayments: 36, windowMonths: 60, graceMonths: 2,
    completedOn: '2024-09-30',
    income: [['2024-12', 300_000], ['2025-01', 200_000], ['2025-03', 250_000], ['2025-04', 400_000], ['2025-05', 333_333], ['2025-06', 500_000]],
    payments: [['2025-01-27', 30_000], ['2025-04-28', 25_000], ['2025-05-27', 40_000], ['2025-06-03', -40_000], ['2025-06-20', 40_000], ['2025-06-27', 5_000]],
  },
  {
    // MAX_PAYMENTS. Completed 2025-03-15, grace 0: first repayment month Apr 2025, window 12 months (to Mar 2026).
    // Apr 200,000 (= threshold): floor(0.05 × 200,000) = 10,000, counted 1. May 199,999: deferred.
    // Jun 210,000: 10,500, counted 2. Jul no report: unreported. Aug 250,000: 12,500, counted 3 = max_payments: completed_payments.
    // Sep 500,000: nothing, completed. Obligations 10,000 + 10,500 + 12,500 = 33,000 = paid; arrears 0.
    ...base, id: 'B-payments', signedOn: '2025-01-10', threshold: 200_000, rate: 0.05, cap: 1_000_000, maxPayments: 3, windowMonths: 12, graceMonths: 0,
    completedOn: '2025-03-15',
    income: [['2025-04', 200_000], ['2025-05', 199_999], ['2025-06', 210_000], ['2025-08', 250_000], ['2025-09', 500_000]],
    payments: [['2025-05-27', 10_000], ['2025-07-28', 10_500], ['2025-09-29', 12_500]],
  },
  {
    // WINDOW (expired, unpaid forgiven). Completed 2025-02-20, grace 1: Feb–Mar grace, first month Apr 2025; window 6: Apr–Sep 2025.
    // Apr 300,000: 30,000 (cum 30,000). May 260,000: 26,000 (cum 56,000). Jun no report: unreported. Jul 100,000: deferred.
    // Aug 280,000: 28,000 (cum 84,000). Sep 250,000: 25,000 (cum 109,000), counted 4 of 36.
    // Oct 2025 is after the window: expired. Paid 30,000 + 26,000 + 28,000 (Aug's, paid in Sep) = 84,000 by the end of Oct;
    // forgiven 109,000 − 84,000 = 25,000; arrears 109,000 − 84,000 − 25,000 = 0. Oct's 400,000 owes nothing.
    ...base, id: 'C-window', signedOn: '2025-01-01', threshold: 250_000, rate: 0.1, cap: 500_000, maxPayments: 36, windowMonths: 6, graceMonths: 1,
    completedOn: '2025-02-20',
    income: [['2025-04', 300_000], ['2025-05', 260_000], ['2025-07', 100_000], ['2025-08', 280_000], ['2025-09', 250_000], ['2025-10', 400_000]],
    payments: [['2025-05-27', 30_000], ['2025-06-27', 26_000], ['2025-09-26', 28_000]],
  },
  {
    // WITHDRAWAL. Signed 2025-04-01, withdrew 2025-07-15 without completing: Apr–Jun training, Jul on withdrawn, nothing owed.
    // Income of 400,000 in Aug owes nothing. A payment taken in error (3,000) and refunded (−3,000): net paid 0, arrears 0.
    ...base, id: 'D-withdrawal', signedOn: '2025-04-01', threshold: 250_000, rate: 0.1, cap: 900_000, maxPayments: 36, windowMonths: 60, graceMonths: 2,
    completedOn: null, withdrawnOn: '2025-07-15',
    income: [['2025-08', 400_000]],
    payments: [['2025-08-01', 3_000], ['2025-08-20', -3_000]],
  },
  {
    // PREPAYMENT. Completed 2025-01-31, grace 2: first month Apr 2025. Rate 0.08, cap 200,000.
    // Apr 300,000: 24,000. May 300,000: 24,000. Jun 350,000: 28,000. Jul 300,000: 24,000 (cum 100,000, counted 4).
    // Paid 24,000 + 24,000 + 28,000 = 76,000 by July; on 2025-08-12 the participant prepays 200,000 − 76,000 = 124,000:
    // cumulative paid 200,000 = cap, so Aug 2025 is completed_cap and the remaining cap 200,000 − 100,000 = 100,000 falls
    // due that month (Aug's own income is not assessed). Cum obligation 200,000 = cum paid; arrears 0.
    ...base, id: 'E-prepayment', signedOn: '2024-10-01', threshold: 250_000, rate: 0.08, cap: 200_000, maxPayments: 24, windowMonths: 60, graceMonths: 2,
    completedOn: '2025-01-31',
    income: [['2025-04', 300_000], ['2025-05', 300_000], ['2025-06', 350_000], ['2025-07', 300_000], ['2025-08', 300_000]],
    payments: [['2025-05-27', 24_000], ['2025-06-27', 24_000], ['2025-07-28', 28_000], ['2025-08-12', 124_000]],
  },
  {
    // OPEN, repaying as of 2026-03-31; a rate whose product is inexact in binary floating point.
    // Completed 2025-12-10, grace 0: first month Jan 2026. Jan 300,000: floor(0.57 × 300,000) = 171,000 (not 170,999).
    // Feb no report: unreported. Mar 250,000: 142,500 (cum 313,500). Paid 171,000 (Feb): arrears 142,500.
    ...base, id: 'F-open', signedOn: '2025-06-01', threshold: 250_000, rate: 0.57, cap: 1_000_000, maxPayments: 12, windowMonths: 24, graceMonths: 0,
    completedOn: '2025-12-10',
    income: [['2026-01', 300_000], ['2026-03', 250_000]],
    payments: [['2026-02-27', 171_000]],
  },
  {
    // TRAINING as of the as-of date: completion is dated after it, so every month is training.
    ...base, id: 'G-training', signedOn: '2025-10-01', threshold: 250_000, rate: 0.1, cap: 900_000, maxPayments: 36, windowMonths: 60, graceMonths: 2,
    completedOn: '2026-06-30',
    income: [['2026-01', 300_000]],
  },
];

describe('CIB worked examples, reference and SQL', () => {
  let sql: Map<string, AgreementMonth[]>;
  beforeAll(async () => {
    sql = await runSql(conn, WORKED, AS_OF);
  });
  const both = (id: string) => {
    const c = WORKED.find((w) => w.id === id)!;
    const ts = reference(c, AS_OF);
    expect(sql.get(id)).toEqual(ts);
    return ts;
  };

  it('A: cap reached in May 2025, with a deferred and an unreported month and a reversal', () => {
    const r = both('A-cap');
    expect(r).toHaveLength(24); // Apr 2024 … Mar 2026
    expect(row(r, '2024-08').status).toBe('training');
    expect(['2024-09', '2024-10', '2024-11'].map((m) => row(r, m).status)).toEqual(['grace', 'grace', 'grace']);
    expect(row(r, '2024-12')).toMatchObject({ status: 'repaying', obligationJpy: 30_000, paymentsCounted: 1 });
    expect(row(r, '2025-01')).toMatchObject({ status: 'deferred', obligationJpy: 0, paidJpy: 30_000, arrearsJpy: 0 });
    expect(row(r, '2025-02')).toMatchObject({ status: 'unreported', obligationJpy: 0 });
    expect(row(r, '2025-03')).toMatchObject({ status: 'repaying', obligationJpy: 25_000, arrearsJpy: 25_000 });
    expect(row(r, '2025-05')).toMatchObject({ status: 'completed_cap', obligationJpy: 5_000, cumulativeObligationJpy: 100_000, paymentsCounted: 4 });
    expect(row(r, '2025-06')).toMatchObject({ status: 'completed_cap', obligationJpy: 0, paidJpy: 5_000, cumulativePaidJpy: 100_000, arrearsJpy: 0 });
    expect(last(r)).toMatchObject({ status: 'completed_cap', cumulativeObligationJpy: 100_000, cumulativePaidJpy: 100_000, arrearsJpy: 0 });
  });

  it('B: completes after max_payments counted months', () => {
    const r = both('B-payments');
    expect(row(r, '2025-04')).toMatchObject({ status: 'repaying', obligationJpy: 10_000 });
    expect(row(r, '2025-05').status).toBe('deferred');
    expect(row(r, '2025-07').status).toBe('unreported');
    expect(row(r, '2025-08')).toMatchObject({ status: 'completed_payments', obligationJpy: 12_500, paymentsCounted: 3, cumulativeObligationJpy: 33_000 });
    expect(row(r, '2025-09')).toMatchObject({ status: 'completed_payments', obligationJpy: 0 });
    expect(last(r)).toMatchObject({ cumulativeObligationJpy: 33_000, cumulativePaidJpy: 33_000, arrearsJpy: 0 });
  });

  it('C: expires after the window, forgiving what is unpaid', () => {
    const r = both('C-window');
    expect(row(r, '2025-09')).toMatchObject({ status: 'repaying', obligationJpy: 25_000, cumulativeObligationJpy: 109_000, arrearsJpy: 25_000 });
    expect(row(r, '2025-10')).toMatchObject({ status: 'expired', obligationJpy: 0, forgivenJpy: 25_000, arrearsJpy: 0, paymentsCounted: 4 });
    expect(last(r)).toMatchObject({ status: 'expired', cumulativeObligationJpy: 109_000, cumulativePaidJpy: 84_000, arrearsJpy: 0 });
  });

  it('D: withdrawal before completion ends it with nothing owed', () => {
    const r = both('D-withdrawal');
    expect(row(r, '2025-06').status).toBe('training');
    expect(row(r, '2025-07').status).toBe('withdrawn');
    expect(row(r, '2025-08')).toMatchObject({ status: 'withdrawn', obligationJpy: 0, paidJpy: 0 });
    expect(r.every((m) => m.obligationJpy === 0)).toBe(true);
    expect(last(r)).toMatchObject({ status: 'withdrawn', cumulativeObligationJpy: 0, cumulativePaidJpy: 0, arrearsJpy: 0 });
  });

  it('E: a prepayment of the remaining cap closes it', () => {
    const r = both('E-prepayment');
    expect(row(r, '2025-07')).toMatchObject({ status: 'repaying', obligationJpy: 24_000, cumulativeObligationJpy: 100_000, arrearsJpy: 24_000 });
    expect(row(r, '2025-08')).toMatchObject({ status: 'completed_cap', obligationJpy: 100_000, paidJpy: 124_000, cumulativePaidJpy: 200_000, arrearsJpy: 0, paymentsCounted: 4 });
    expect(last(r)).toMatchObject({ status: 'completed_cap', cumulativeObligationJpy: 200_000, arrearsJpy: 0 });
  });

  it('F: open and repaying; the floor is exact', () => {
    const r = both('F-open');
    expect(row(r, '2026-01')).toMatchObject({ status: 'repaying', obligationJpy: 171_000 });
    expect(row(r, '2026-02').status).toBe('unreported');
    expect(last(r)).toMatchObject({ status: 'repaying', obligationJpy: 142_500, cumulativeObligationJpy: 313_500, arrearsJpy: 142_500 });
  });

  it('G: in training until completion', () => {
    const r = both('G-training');
    expect(r.every((m) => m.status === 'training' && m.obligationJpy === 0)).toBe(true);
  });
});

// --- properties over random terms and income paths ---------------------------------------------------------

const PROP_AS_OF = '2026-06-30';
const RATES = [0.05, 0.07, 0.1, 0.125, 0.14, 0.29, 0.57, 0.58, 0.0833];

const monthText = (m: number) => monthDate(m).slice(0, 7);
const dayIn = (m: number, day: number) => `${monthText(m)}-${String(day).padStart(2, '0')}`;

/** A random agreement: terms, a completion or withdrawal (or neither), an income path with gaps, payments with refunds and prepayments. */
const caseArb = (id: string): fc.Arbitrary<Case> =>
  fc
    .record({
      signed: fc.integer({ min: monthIndex('2023-01'), max: monthIndex('2025-06') }),
      threshold: fc.integer({ min: 0, max: 30 }).map((x) => x * 10_000),
      rate: fc.constantFrom(...RATES),
      cap: fc.integer({ min: 0, max: 60 }).map((x) => x * 10_000),
      maxPayments: fc.integer({ min: 1, max: 12 }),
      windowMonths: fc.integer({ min: 1, max: 24 }),
      graceMonths: fc.integer({ min: 0, max: 4 }),
      ending: fc.constantFrom('completed', 'completed', 'completed', 'withdrawn', 'training'),
      endOffset: fc.integer({ min: 0, max: 14 }),
      endDay: fc.integer({ min: 1, max: 28 }),
      income: fc.array(fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: null, freq: 4 }), { minLength: 42, maxLength: 42 }),
      payments: fc.array(fc.record({ offset: fc.integer({ min: -1, max: 41 }), day: fc.integer({ min: 1, max: 28 }), amount: fc.oneof(fc.integer({ min: -30_000, max: 80_000 }), fc.integer({ min: 100_000, max: 600_000 })) }), { maxLength: 8 }),
    })
    .map((g) => {
      const end = g.signed + g.endOffset;
      return {
        id,
        signedOn: dayIn(g.signed, 1 + (g.endDay % 5)),
        funded: 500_000,
        threshold: g.threshold,
        rate: g.rate,
        cap: g.cap,
        maxPayments: g.maxPayments,
        windowMonths: g.windowMonths,
        graceMonths: g.graceMonths,
        completedOn: g.ending === 'completed' ? dayIn(end, g.endDay) : null,
        withdrawnOn: g.ending === 'withdrawn' ? dayIn(end, g.endDay) : null,
        income: g.income.flatMap((v, i): Array<[string, number]> => (v === null ? [] : [[monthText(g.signed + i), v]])),
        payments: g.payments.map((p): [string, number] => [dayIn(g.signed + p.offset, p.day), p.amount]),
      };
    });

const casesArb = fc.array(fc.nat(), { minLength: 1, maxLength: 1 }).chain(() => caseArb('X'));

describe('CIB properties (reference)', () => {
  const each = (check: (c: Case, rows: AgreementMonth[]) => void) =>
    fc.assert(fc.property(casesArb, (c) => check(c, reference(c, PROP_AS_OF))), { numRuns: 400, seed: 20260331 });

  it('owes nothing in a month below the threshold or unreported (except the cap settled by a prepayment)', () =>
    each((c, rows) => {
      for (const [i, r] of rows.entries()) {
        const prepaid = r.status === 'completed_cap' && rows[i - 1]?.status !== 'completed_cap' && r.cumulativePaidJpy >= c.cap;
        if ((r.incomeJpy === null || r.incomeJpy < c.threshold) && !prepaid) expect(r.obligationJpy).toBe(0);
      }
    }));

  it('never lets the cumulative obligation exceed the cap', () =>
    each((c, rows) => {
      for (const r of rows) expect(r.cumulativeObligationJpy).toBeLessThanOrEqual(c.cap);
    }));

  it('owes nothing after the window, after completion, or without completion', () =>
    each((c, rows) => {
      const done = rows.findIndex((r) => ['completed_cap', 'completed_payments', 'expired', 'withdrawn'].includes(r.status));
      for (const [i, r] of rows.entries()) {
        if (done >= 0 && i > done) expect(r.obligationJpy).toBe(0);
        if (['training', 'grace', 'deferred', 'unreported', 'expired', 'withdrawn'].includes(r.status)) expect(r.obligationJpy).toBe(0);
        if (c.completedOn && c.completedOn <= PROP_AS_OF && r.month > windowEndMonth({ graceMonths: c.graceMonths, windowMonths: c.windowMonths }, monthIndex(c.completedOn))) {
          expect(r.obligationJpy).toBe(0);
        }
      }
      expect(rows.filter((r) => r.status === 'repaying' || r.status.startsWith('completed')).length === 0 ? rows.every((r) => r.obligationJpy === 0) : true).toBe(true);
    }));

  it('keeps arrears = cumulative obligation − cumulative paid − forgiven', () =>
    each((c, rows) => {
      let forgiven = 0;
      for (const r of rows) {
        forgiven += r.forgivenJpy;
        expect(r.arrearsJpy).toBe(r.cumulativeObligationJpy - r.cumulativePaidJpy - forgiven);
        expect(r.paymentsCounted).toBeLessThanOrEqual(c.maxPayments);
      }
    }));

  it('never lowers what a month owes when that month’s income rises', () =>
    fc.assert(
      fc.property(casesArb, fc.nat(), fc.integer({ min: 1, max: 300_000 }), (c, pick, rise) => {
        if (c.income.length === 0) return;
        const k = pick % c.income.length;
        const [month, before] = c.income[k]!;
        const richer = { ...c, income: c.income.map((x, i): [string, number] => (i === k ? [month, before + rise] : x)) };
        const a = row(reference(c, PROP_AS_OF), month);
        const b = row(reference(richer, PROP_AS_OF), month);
        if (!a || !b) return;
        expect(b.obligationJpy).toBeGreaterThanOrEqual(a.obligationJpy);
        expect(b.cumulativeObligationJpy).toBeGreaterThanOrEqual(a.cumulativeObligationJpy);
      }),
      { numRuns: 400, seed: 7 },
    ));
});

describe('CIB properties (SQL = reference)', () => {
  it('gives the same months as the reference for every generated agreement, in one SQL run', async () => {
    const cases = fc.sample(fc.array(caseArb('X'), { minLength: 600, maxLength: 600 }), { numRuns: 1, seed: 42 })[0]!.map((c, i) => ({ ...c, id: `X-${String(i).padStart(4, '0')}` }));
    const sql = await runSql(conn, cases, PROP_AS_OF);
    const statuses = new Set<string>();
    for (const c of cases) {
      const ts = reference(c, PROP_AS_OF);
      expect(sql.get(c.id) ?? [], c.id).toEqual(ts);
      for (const r of ts) statuses.add(r.status);
    }
    // The generated cases reach every status.
    expect([...statuses].sort()).toEqual(['completed_cap', 'completed_payments', 'deferred', 'expired', 'grace', 'repaying', 'training', 'unreported', 'withdrawn']);
  });
});

// --- the demo data --------------------------------------------------------------------------------------

describe('CIB on the demo data', () => {
  const dir = tempDir('impact-cib-');
  const db = join(dir.path, 'warehouse.duckdb');
  let asOf = '';
  beforeAll(async () => {
    const manifest = await generateDemo({ participants: 2000, seed: 1, outDir: join(dir.path, 'in'), dirty: false });
    asOf = manifest.asOf;
    const { sources } = planSources([join(dir.path, 'in')], {});
    await ingest(sources, { db, key: { key: Buffer.alloc(32, 9), origin: 'test key', created: false } });
    await build({ db, asOf });
  }, 300_000);
  afterAll(() => dir.cleanup());

  it('finds the demo repayments consistent with the engine: most agreements have small arrears', async () => {
    const [a] = await readOnlyRows<{ n: number; owing: number; small: number; credit: number; prepaid_or_paid_in_full: number; over_cap: number }>(db, `
      SELECT count(*)::DOUBLE AS n,
             count(*) FILTER (WHERE obligation_jpy > 0)::DOUBLE AS owing,
             count(*) FILTER (WHERE obligation_jpy > 0 AND abs(arrears_jpy) <= 0.15 * payment_cap_jpy)::DOUBLE AS small,
             count(*) FILTER (WHERE arrears_jpy < 0)::DOUBLE AS credit,
             count(*) FILTER (WHERE status = 'completed_cap' AND paid_jpy >= payment_cap_jpy)::DOUBLE AS prepaid_or_paid_in_full,
             count(*) FILTER (WHERE obligation_jpy > payment_cap_jpy)::DOUBLE AS over_cap
      FROM marts.cib_agreements`);
    console.log('demo agreements', a);
    expect(a!.n).toBeGreaterThan(500);
    expect(a!.owing).toBeGreaterThan(200);
    // The generator pays what the engine says falls due (late, missed or reversed for some): no agreement
    // is paid more than its obligations, and nine in ten owe at most 15% of their cap.
    expect(a!.credit).toBe(0);
    expect(a!.over_cap).toBe(0);
    expect(a!.small / a!.owing).toBeGreaterThan(0.9);
    expect(a!.prepaid_or_paid_in_full).toBeGreaterThanOrEqual(1);
  });

  it('gives plausible fund figures', async () => {
    const [raw] = await readOnlyRows<Record<string, number | string>>(db, 'SELECT * FROM marts.cib_fund');
    type Fund = Record<'collected_jpy' | 'recovery_rate' | 'arrears_jpy' | 'obligation_jpy' | 'pay_forward_multiplier' | 'average_training_cost_jpy' | 'share_repaying', number>;
    const f = Object.fromEntries(Object.entries(raw!).map(([k, v]) => [k, Number(v)])) as Fund & Record<string, number>;
    console.log('demo fund', f);
    expect(f.collected_jpy).toBeGreaterThan(0);
    expect(f.recovery_rate).toBeGreaterThan(0.01);
    expect(f.recovery_rate).toBeLessThan(1.5);
    expect(f.arrears_jpy).toBeLessThan(0.2 * f.obligation_jpy);
    expect(f.pay_forward_multiplier).toBeCloseTo(f.collected_jpy / f.average_training_cost_jpy, 3);
    const shares = Object.entries(f!).filter(([k]) => k.startsWith('share_')).reduce((s, [, v]) => s + Number(v), 0);
    expect(shares).toBeCloseTo(1, 5);
    expect(f.share_repaying).toBeGreaterThan(0);
  });

  it('projects final recovery above what is collected today, reproducibly', async () => {
    const p = await readOnlyRows<{ measure: string; year: number | null; p10: number; p50: number; p90: number; agreements_projected: number }>(db, 'SELECT * FROM marts.cib_projection ORDER BY measure, year NULLS FIRST');
    console.log('demo projection', p);
    const [f] = await readOnlyRows<{ recovery_rate: number }>(db, 'SELECT recovery_rate FROM marts.cib_fund');
    const rate = p.find((r) => r.measure === 'final_recovery_rate')!;
    expect(rate.agreements_projected).toBeGreaterThan(0);
    expect(rate.p10).toBeLessThanOrEqual(rate.p50);
    expect(rate.p50).toBeLessThanOrEqual(rate.p90);
    expect(rate.p10).toBeGreaterThanOrEqual(f!.recovery_rate - 1e-6);
    const balances = p.filter((r) => r.measure === 'fund_balance_jpy');
    for (let i = 1; i < balances.length; i++) expect(balances[i]!.p50).toBeGreaterThanOrEqual(balances[i - 1]!.p50);
  });
});

// --- the projection: reproducible and ordered (its speed on 10,000 agreements is in npm run bench) ---------

describe('CIB projection', () => {
  it('gives the same quantiles for the same seed, in order P10 ≤ P50 ≤ P90', () => {
    const { agreements, donors } = syntheticCibBook(500, 300);
    const input = { agreements, donors, collectedJpy: 0, fundedJpy: 500 * 1_000_000, startYear: 2026, startMonthOfYear: 10, draws: 200, seed: 3 };
    const result = projectRecovery(input);
    expect(result.agreementsProjected).toBe(500);
    expect(result.finalRecoveryRate.p10).toBeLessThanOrEqual(result.finalRecoveryRate.p50);
    expect(result.finalRecoveryRate.p50).toBeLessThanOrEqual(result.finalRecoveryRate.p90);
    expect(projectRecovery(input)).toEqual(result);
    expect(projectRecovery({ ...input, seed: 4 })).not.toEqual(result);
  });

  it('gives the same result to the bit in worker threads, however many', async () => {
    const { agreements, donors } = syntheticCibBook(300, 200);
    const input = { agreements, donors, collectedJpy: 5_000_000, fundedJpy: 300 * 1_000_000, startYear: 2026, startMonthOfYear: 3, draws: 300, seed: 8 };
    const result = projectRecovery(input);
    expect(await projectRecoveryInWorkers(input, 2)).toEqual(result);
    expect(await projectRecoveryInWorkers(input, 3)).toEqual(result);
  });
});

describe('CIB projection walks', () => {
  const walkArb = fc.record({
    paths: fc.array(fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 600_000 })), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 12 }),
    threshold: fc.integer({ min: 0, max: 40 }).map((x) => x * 10_000),
    rate: fc.constantFrom(...RATES),
    cap: fc.integer({ min: 1, max: 3_000_000 }),
    obligedShare: fc.double({ min: 0, max: 0.99, noNaN: true }),
    paymentsLeft: fc.integer({ min: 1, max: 40 }),
    from: fc.integer({ min: 0, max: 40 }),
    months: fc.integer({ min: 0, max: 40 }),
    startMonthOfYear: fc.integer({ min: 0, max: 11 }),
    seed: fc.integer(),
  });

  it('walks stretch by stretch exactly as month by month: same donors drawn, same yen in the same years', () => {
    fc.assert(
      fc.property(walkArb, (c) => {
        const pool = donorPool(c.paths.map((p) => Int32Array.from(p)))!;
        const rateMillionths = Math.round(c.rate * 1_000_000);
        const library = shareLibrary(pool, c.threshold, rateMillionths)!;
        const capLeftJpy = c.cap - Math.floor(c.cap * c.obligedShare);
        const a: OpenAgreement = { pool, thresholdJpy: c.threshold, rateMillionths, capLeftJpy, paymentsLeft: c.paymentsLeft, from: c.from, to: c.from + c.months };
        const years = yearOfOffset(c.months, c.startMonthOfYear) + 1;
        const ledger = (): Ledger => ({
          byYear: new Float64Array(5 * years),
          row: 0,
          yearOf: Int32Array.from({ length: c.months + 1 }, (_, o) => yearOfOffset(o, c.startMonthOfYear)),
          startMonthOfYear: c.startMonthOfYear,
        });
        const [byMonth, byStretch] = [ledger(), ledger()];
        const [rngMonth, rngStretch] = [xoroshiro128plus(c.seed), xoroshiro128plus(c.seed)];
        for (let draw = 0; draw < 5; draw++) {
          byMonth.row = byStretch.row = draw * years;
          const total = walkByMonth(rngMonth, a, byMonth);
          expect(walkByStretch(rngStretch, a, library, byStretch)).toBe(total);
          expect(total).toBeLessThanOrEqual(capLeftJpy);
        }
        expect(byStretch.byYear).toEqual(byMonth.byYear);
        expect(rngStretch.next()).toBe(rngMonth.next());
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('packs each month of a share library as owed × 2^bits + counted, or gives none when that would not fit 31 bits', () => {
    // Threshold 250,000, rate 10 %: the months owe 30,000, nothing (unreported), nothing (below), 40,000.
    // Longest month 3, so counts up to 4 take 3 bits: totals 0, 30,000 × 8 + 1 (three times), 70,000 × 8 + 2.
    const pool = donorPool([Int32Array.from([300_000, -1, 200_000, 400_000])])!;
    const library = shareLibrary(pool, 250_000, 100_000)!;
    expect(library.bits).toBe(3);
    expect([...library.totals]).toEqual([0, 240_001, 240_001, 240_001, 560_002]);
    // A month owing 1,000,000,000 at a rate of 100 %, longest month 2 so 2 bits: 10^9 × 2^2 is past 2^31.
    expect(shareLibrary(donorPool([Int32Array.from([0, 1_000_000_000, 1_000_000_000])])!, 0, 1_000_000)).toBeNull();
  });

  it('draws anew each month beyond the longest observed history', () => {
    // Two graduates observed 0 … 11 months after completion, one unreported in month 11; agreements whose
    // 24 remaining months all lie beyond. Following one graduate's last month would give each agreement
    // 0 or 24 × 30,000 in a simulation; a fresh draw each month gives about half of that, every time.
    const donors = [300_000, -1].map((last) => ({ track: 'web', incomes: Int32Array.from({ length: 12 }, (_, s) => (s === 11 ? last : 300_000)) }));
    const agreements = Array.from({ length: 1 }, () => ({ track: 'web', thresholdJpy: 250_000, shareRate: 0.1, capJpy: 10_000_000, obligedJpy: 0, paymentsLeft: 100, fromMonthSinceCompletion: 12, toMonthSinceCompletion: 35 }));
    const r = projectRecovery({ agreements, donors, collectedJpy: 0, fundedJpy: 1_000_000, startYear: 2026, startMonthOfYear: 0, draws: 400, seed: 5 });
    expect(r.finalCollectedJpy.p10).toBeGreaterThan(0);
    expect(r.finalCollectedJpy.p90).toBeLessThan(24 * 30_000);
    expect(r.finalCollectedJpy.mean).toBeGreaterThan(0.4 * 24 * 30_000);
    expect(r.finalCollectedJpy.mean).toBeLessThan(0.6 * 24 * 30_000);
  });
});
