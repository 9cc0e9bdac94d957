// SIB outcome payments (docs/metrics/sib.md): three contracts worked by hand, run through both the
// TypeScript reference (pipelines/metrics/sib) and the SQL models; XIRR against Microsoft's
// published example; properties of the payment rules; SQL = reference on random contracts; demo data.
import { join } from 'node:path';
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, withConnection } from '../pipelines/db/connection.ts';
import { generateDemo } from '../pipelines/demo/generate.ts';
import { ingest } from '../pipelines/ingest/ingest.ts';
import { planSources } from '../pipelines/ingest/sources.ts';
import { achievements, addDays, joinSpells, payOutcomes } from '../pipelines/metrics/sib/index.ts';
import type { IncomeMonth, ParticipantRecord, PaymentLine, SibContract, SibOutcome, SibReferral, Spell } from '../pipelines/metrics/sib/index.ts';
import { moneyMultiple, xirr, xnpv, type CashFlow } from '../pipelines/metrics/xirr.ts';
import { build, parseSqlModel } from '../pipelines/models/build.ts';
import { model as investorReturns } from '../pipelines/models/marts/sib_investor_returns.ts';
import { quotedString } from '../pipelines/sql.ts';
import { ROOT, tempDir, useMemoryConnection } from './helpers.ts';

// --- a world of SIB inputs, fed to both implementations -------------------------------------------

interface World {
  asOf: string;
  contracts: SibContract[];
  outcomes: SibOutcome[];
  referrals: SibReferral[];
  people: ParticipantRecord[];
  cashflows?: Array<{ contractId: string; date: string; party: string; amount: number }>;
}

/** The reference: every contract's audit lines, in the SQL mart's order. */
function reference(w: World): PaymentLine[] {
  const people = new Map(w.people.map((p) => [p.participantId, p]));
  return [...w.contracts]
    .sort((a, b) => (a.contractId < b.contractId ? -1 : 1))
    .flatMap((c) => payOutcomes(c, w.outcomes, achievements(c, w.outcomes, w.referrals, people, w.asOf)));
}

const MODELS = join(ROOT, 'pipelines', 'models');
const s = (v: string | null) => (v === null ? 'NULL' : quotedString(v));
const d = (v: string | null) => (v === null ? 'NULL' : `DATE ${quotedString(v)}`);

async function insert(conn: DuckDBConnection, table: string, rows: string[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    if (chunk.length) await conn.run(`INSERT INTO ${table} VALUES ${chunk.map((r) => `(${r.join(', ')})`).join(', ')}`);
  }
}

/** Loads a world into the core tables the SIB models read (only the columns they use) and builds the models. */
async function runSql(conn: DuckDBConnection, w: World): Promise<void> {
  await conn.run(`SET VARIABLE as_of = DATE ${quotedString(w.asOf)}`);
  for (const schema of ['core', 'marts']) await conn.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await conn.run(`
    CREATE TABLE core.participants (participant_id VARCHAR, completed_on DATE);
    CREATE TABLE core.employment_spells (employment_id VARCHAR, participant_id VARCHAR, started_on DATE, ended_on DATE);
    CREATE TABLE core.income_months (participant_id VARCHAR, period DATE, gross_income_jpy BIGINT, verified BOOLEAN);
    CREATE TABLE core.sib_contracts (contract_id VARCHAR, name VARCHAR, start_date DATE, end_date DATE, payment_cap_jpy BIGINT);
    CREATE TABLE core.sib_outcomes (contract_id VARCHAR, outcome_code VARCHAR, kind VARCHAR, parameter INTEGER, price_jpy BIGINT, max_count INTEGER);
    CREATE TABLE core.sib_referrals (contract_id VARCHAR, participant_id VARCHAR, referred_on DATE);
    CREATE TABLE core.sib_cashflows (contract_id VARCHAR, date DATE, party VARCHAR, amount_jpy BIGINT);`);
  await insert(conn, 'core.participants', w.people.map((p) => [s(p.participantId), d(p.completedOn)]));
  await insert(conn, 'core.employment_spells', w.people.flatMap((p) => p.spells.map((x, i) => [s(`${p.participantId}-e${i}`), s(p.participantId), d(x.startedOn), d(x.endedOn)])));
  await insert(conn, 'core.income_months', w.people.flatMap((p) => p.income.map((m) => [s(p.participantId), d(m.period), String(m.grossIncomeJpy), String(m.verified)])));
  await insert(conn, 'core.sib_contracts', w.contracts.map((c) => [s(c.contractId), s(c.contractId), d(c.startDate), d(c.endDate), String(c.paymentCapJpy)]));
  await insert(conn, 'core.sib_outcomes', w.outcomes.map((o) => [s(o.contractId), s(o.outcomeCode), s(o.kind), String(o.parameter), String(o.priceJpy), o.maxCount === null ? 'NULL' : String(o.maxCount)]));
  await insert(conn, 'core.sib_referrals', w.referrals.map((r) => [s(r.contractId), s(r.participantId), d(r.referredOn)]));
  await insert(conn, 'core.sib_cashflows', (w.cashflows ?? []).map((f) => [s(f.contractId), d(f.date), s(f.party), String(f.amount)]));
  await parseSqlModel('core', join(MODELS, 'core', 'employment_runs.sql')).run(conn, 'core.employment_runs');
  await parseSqlModel('marts', join(MODELS, 'marts', 'sib_outcome_audit.sql')).run(conn, 'marts.sib_outcome_audit');
  await parseSqlModel('marts', join(MODELS, 'marts', 'sib_payments.sql')).run(conn, 'marts.sib_payments');
  await investorReturns.build(conn, 'marts.sib_investor_returns');
}

/** The SQL audit mart as reference-shaped lines. */
async function sqlLines(conn: DuckDBConnection): Promise<PaymentLine[]> {
  const rows = await queryRows<Record<string, string | number>>(conn, `
    SELECT contract_id, outcome_code, participant_id, strftime(achieved_on, '%Y-%m-%d') AS achieved_on, payment_order,
           price_jpy::DOUBLE AS price_jpy, paid_jpy::DOUBLE AS paid_jpy, removed_by_max_count_jpy::DOUBLE AS removed_by_max_count_jpy,
           removed_by_cap_jpy::DOUBLE AS removed_by_cap_jpy, cumulative_paid_jpy::DOUBLE AS cumulative_paid_jpy
    FROM marts.sib_outcome_audit ORDER BY contract_id, payment_order`);
  return rows.map((r) => ({
    contractId: String(r.contract_id),
    outcomeCode: String(r.outcome_code),
    participantId: String(r.participant_id),
    achievedOn: String(r.achieved_on),
    paymentOrder: Number(r.payment_order),
    priceJpy: Number(r.price_jpy),
    paidJpy: Number(r.paid_jpy),
    removedByMaxCountJpy: Number(r.removed_by_max_count_jpy),
    removedByCapJpy: Number(r.removed_by_cap_jpy),
    cumulativePaidJpy: Number(r.cumulative_paid_jpy),
  }));
}

const memory = useMemoryConnection();
let conn: DuckDBConnection;
beforeAll(() => {
  conn = memory();
});

// --- three contracts worked by hand ----------------------------------------------------------------

const spell = (startedOn: string, endedOn: string | null = null): Spell => ({ startedOn, endedOn });
const month = (period: string, grossIncomeJpy: number, verified = true): IncomeMonth => ({ period, grossIncomeJpy, verified });
const person = (participantId: string, completedOn: string | null, spells: Spell[] = [], income: IncomeMonth[] = []): ParticipantRecord => ({
  participantId,
  completedOn,
  spells,
  income,
});

const WORKED: World = {
  asOf: '2025-06-30',
  contracts: [
    { contractId: 'A-CAPPED', startDate: '2024-01-01', endDate: '2025-12-31', paymentCapJpy: 500_000 },
    { contractId: 'B-MAXCOUNT', startDate: '2024-01-01', endDate: '2025-03-31', paymentCapJpy: 10_000_000 },
    { contractId: 'C-PLAIN', startDate: '2024-04-01', endDate: '2026-03-31', paymentCapJpy: 5_000_000 },
  ],
  outcomes: [
    { contractId: 'A-CAPPED', outcomeCode: 'JOB', kind: 'job_start', parameter: 90, priceJpy: 200_000, maxCount: null },
    { contractId: 'A-CAPPED', outcomeCode: 'SUS', kind: 'sustained_employment', parameter: 180, priceJpy: 300_000, maxCount: null },
    { contractId: 'B-MAXCOUNT', outcomeCode: 'JOB', kind: 'job_start', parameter: 60, priceJpy: 100_000, maxCount: 2 },
    { contractId: 'B-MAXCOUNT', outcomeCode: 'INC', kind: 'income_at_least', parameter: 250_000, priceJpy: 50_000, maxCount: null },
    { contractId: 'C-PLAIN', outcomeCode: 'SUS', kind: 'sustained_employment', parameter: 90, priceJpy: 400_000, maxCount: null },
    { contractId: 'C-PLAIN', outcomeCode: 'INC', kind: 'income_at_least', parameter: 300_000, priceJpy: 80_000, maxCount: null },
  ],
  referrals: [
    ...['a1', 'a2', 'a3', 'a4'].map((p) => ({ contractId: 'A-CAPPED', participantId: p, referredOn: '2024-01-10' })).map((r) =>
      r.participantId === 'a3' ? { ...r, referredOn: '2024-06-01' } : r.participantId === 'a4' ? { ...r, referredOn: '2024-12-01' } : r,
    ),
    ...['b1', 'b2', 'b3', 'b4', 'b5'].map((p) => ({ contractId: 'B-MAXCOUNT', participantId: p, referredOn: '2024-02-01' })),
    { contractId: 'C-PLAIN', participantId: 'c1', referredOn: '2023-12-01' },
    { contractId: 'C-PLAIN', participantId: 'c2', referredOn: '2024-05-01' },
    { contractId: 'C-PLAIN', participantId: 'c3', referredOn: '2024-05-01' },
  ],
  people: [
    // a1: job 2024-02-10 (10 days after completion ≤ 90). Spells joined across a 14-day gap
    // (ended 04-30, next started 05-14), open to the as-of date: run from 2024-02-10;
    // + 180 days = 2024-08-08 (Feb 10 → Aug 10 is 29+31+30+31+30+31 = 182 days, less 2).
    person('a1', '2024-01-31', [spell('2024-02-10', '2024-04-30'), spell('2024-05-14')]),
    // a2: job 2024-02-20. Not joined across a 15-day gap (ended 05-31, next started 06-15): the
    // first run (02-20 … 05-31) is shorter than 180 days; the second runs from 2024-06-15,
    // + 180 = 2024-12-12 (Jun 15 → Dec 15 is 30+31+31+30+31+30 = 183 days, less 3).
    person('a2', '2024-01-31', [spell('2024-02-20', '2024-05-31'), spell('2024-06-15')]),
    // a3: first job 2024-04-15, before referral (06-01): job_start is not counted, and the second,
    // overlapping spell starting 2024-06-10 (71 days after completion, after referral) does not earn
    // it again. The overlapping spell joins the run: 2024-04-15 + 180 = 2024-10-12
    // (Apr 15 → Oct 15 is 30+31+30+31+31+30 = 183 days, less 3), after referral: counted.
    person('a3', '2024-03-31', [spell('2024-04-15'), spell('2024-06-10', '2024-09-30')]),
    // a4: job 2025-01-20 (20 days). The open spell is cut at the as-of date 2025-06-30:
    // 2025-01-20 + 180 = 2025-07-19 is after it, so no sustained_employment yet.
    person('a4', '2024-12-31', [spell('2025-01-20')]),
    // b1: job 2024-03-15 (15 days); income 2024-03 below 250,000, 2024-04 at 260,000: achieved 2024-04-30.
    person('b1', '2024-02-29', [spell('2024-03-15', '2024-12-31')], [month('2024-03-01', 240_000), month('2024-04-01', 260_000)]),
    // b2: job 2024-03-15 too (tie with b1, paid after it by participant id); 2024-04 is not verified,
    // 2024-05 is exactly 250,000: achieved 2024-05-31.
    person('b2', '2024-02-29', [spell('2024-03-15')], [month('2024-04-01', 400_000, false), month('2024-05-01', 250_000)]),
    // b3: job 2024-04-01 (32 days): the third JOB, removed by max_count 2. Income of 500,000 in
    // 2023-12 is before the month of completion (ignored); 2025-03 at 300,000 is achieved on
    // 2025-03-31, the contract's end_date, which is inclusive.
    person('b3', '2024-02-29', [spell('2024-04-01')], [month('2023-12-01', 500_000), month('2025-03-01', 300_000)]),
    // b4: first job 76 days after completion (> 60): no job_start. Income in the month of completion
    // counts: 2024-02 at 260,000, achieved 2024-02-29.
    person('b4', '2024-02-29', [spell('2024-05-15')], [month('2024-02-01', 260_000)]),
    // b5: income achieved 2025-04-30, after the contract's end_date: not counted.
    person('b5', '2024-02-29', [], [month('2025-04-01', 300_000)]),
    // c1: referred before the contract starts. Spells joined across a 10-day gap: run from 2024-01-10,
    // + 90 = 2024-04-09 (Jan 10 → Apr 10 is 31+29+31 = 91 days, less 1), after the start 2024-04-01:
    // counted. Income 2024-03 at 320,000 is achieved 2024-03-31, before the contract starts: not
    // counted, and 2024-06 at 350,000 does not earn it again.
    person('c1', '2023-12-31', [spell('2024-01-10', '2024-03-31'), spell('2024-04-10')], [month('2024-03-01', 320_000), month('2024-06-01', 350_000)]),
    // c2: runs of 06-03 … 07-31 and, after a 15-day gap, 08-15 … 10-31: neither lasts 90 days
    // (06-03 + 90 = 09-01, 08-15 + 90 = 11-13). Income 2024-07 at 300,000: achieved 2024-07-31.
    person('c2', '2024-05-31', [spell('2024-06-03', '2024-07-31'), spell('2024-08-15', '2024-10-31')], [month('2024-07-01', 300_000)]),
    // c3: not completed: achieves nothing, whatever the spells and income.
    person('c3', null, [spell('2024-06-01')], [month('2024-07-01', 900_000)]),
  ],
  cashflows: [
    // A: 1,000,000 in, 600,000 back after one year and 600,000 after two (365-day years):
    // 600,000/(1+r) + 600,000/(1+r)^2 = 1,000,000 → r = 0.1306623863 (√(0.36 + 2.4) = 1.66132477; r = (0.6 + 1.66132477)/2 − 1)
    { contractId: 'A-CAPPED', date: '2024-01-01', party: 'investor', amount: -1_000_000 },
    { contractId: 'A-CAPPED', date: '2024-12-31', party: 'municipality', amount: 600_000 },
    { contractId: 'A-CAPPED', date: '2025-12-31', party: 'municipality', amount: 600_000 },
    // B: flows on one date are netted: 500,000 paid by the municipality less a 50,000 provider fee.
    { contractId: 'B-MAXCOUNT', date: '2024-01-01', party: 'investor', amount: -400_000 },
    { contractId: 'B-MAXCOUNT', date: '2025-01-01', party: 'municipality', amount: 500_000 },
    { contractId: 'B-MAXCOUNT', date: '2025-01-01', party: 'provider', amount: -50_000 },
  ],
};

/** [participant, code, achieved_on, price, paid, removed by max_count, removed by cap, cumulative paid] per contract, in payment order. */
type Expected = [string, string, string, number, number, number, number, number];
const EXPECTED: Record<string, Expected[]> = {
  // Cap 500,000: the two jobs are paid in full (400,000 so far); a1's SUS crosses the cap and is
  // paid the 100,000 that remains (200,000 removed); every later outcome gets nothing.
  'A-CAPPED': [
    ['a1', 'JOB', '2024-02-10', 200_000, 200_000, 0, 0, 200_000],
    ['a2', 'JOB', '2024-02-20', 200_000, 200_000, 0, 0, 400_000],
    ['a1', 'SUS', '2024-08-08', 300_000, 100_000, 0, 200_000, 500_000],
    ['a3', 'SUS', '2024-10-12', 300_000, 0, 0, 300_000, 500_000],
    ['a2', 'SUS', '2024-12-12', 300_000, 0, 0, 300_000, 500_000],
    ['a4', 'JOB', '2025-01-20', 200_000, 0, 0, 200_000, 500_000],
  ],
  // max_count 2 on JOB: b1 and b2 (tie on 03-15, b1 first) are paid; b3's JOB is removed whole.
  // Paid 50,000 + 2 × 100,000 + 3 × 50,000 = 400,000, far below the cap.
  'B-MAXCOUNT': [
    ['b4', 'INC', '2024-02-29', 50_000, 50_000, 0, 0, 50_000],
    ['b1', 'JOB', '2024-03-15', 100_000, 100_000, 0, 0, 150_000],
    ['b2', 'JOB', '2024-03-15', 100_000, 100_000, 0, 0, 250_000],
    ['b3', 'JOB', '2024-04-01', 100_000, 0, 100_000, 0, 250_000],
    ['b1', 'INC', '2024-04-30', 50_000, 50_000, 0, 0, 300_000],
    ['b2', 'INC', '2024-05-31', 50_000, 50_000, 0, 0, 350_000],
    ['b3', 'INC', '2025-03-31', 50_000, 50_000, 0, 0, 400_000],
  ],
  // No limit binds: 400,000 + 80,000 = 480,000.
  'C-PLAIN': [
    ['c1', 'SUS', '2024-04-09', 400_000, 400_000, 0, 0, 400_000],
    ['c2', 'INC', '2024-07-31', 80_000, 80_000, 0, 0, 480_000],
  ],
};

const expectedLines: PaymentLine[] = Object.entries(EXPECTED).flatMap(([contractId, rows]) =>
  rows.map(([participantId, outcomeCode, achievedOn, priceJpy, paidJpy, removedByMaxCountJpy, removedByCapJpy, cumulativePaidJpy], i) => ({
    contractId,
    outcomeCode,
    participantId,
    achievedOn,
    paymentOrder: i + 1,
    priceJpy,
    paidJpy,
    removedByMaxCountJpy,
    removedByCapJpy,
    cumulativePaidJpy,
  })),
);

describe('SIB worked contracts', () => {
  it('joins spells across gaps of 14 days or less, not 15; an open spell runs to the as-of date', () => {
    expect(joinSpells([spell('2024-02-10', '2024-04-30'), spell('2024-05-14')], '2025-06-30')).toEqual([{ startedOn: '2024-02-10', endsOn: '2025-06-30', isOpen: true }]);
    expect(joinSpells([spell('2024-02-20', '2024-05-31'), spell('2024-06-15', '2024-07-01')], '2025-06-30')).toEqual([
      { startedOn: '2024-02-20', endsOn: '2024-05-31', isOpen: false },
      { startedOn: '2024-06-15', endsOn: '2024-07-01', isOpen: false },
    ]);
    // a nested spell does not shorten the run
    expect(joinSpells([spell('2024-01-01', '2024-12-31'), spell('2024-03-01', '2024-03-31'), spell('2025-01-10', '2025-02-01')], '2025-06-30')).toEqual([
      { startedOn: '2024-01-01', endsOn: '2025-02-01', isOpen: false },
    ]);
  });

  it('the TypeScript reference gives the hand-computed audit lines', () => {
    expect(reference(WORKED)).toEqual(expectedLines);
  });

  it('the SQL models give the same audit lines', async () => {
    await runSql(conn, WORKED);
    expect(await sqlLines(conn)).toEqual(expectedLines);
    const runs = await queryRows(conn, "SELECT participant_id, run_no, strftime(started_on, '%Y-%m-%d') AS s, strftime(ends_on, '%Y-%m-%d') AS e, is_open, spells FROM core.employment_runs WHERE participant_id IN ('a1', 'a2', 'a3') ORDER BY ALL");
    expect(runs).toEqual([
      { participant_id: 'a1', run_no: 1, s: '2024-02-10', e: '2025-06-30', is_open: true, spells: 2 },
      { participant_id: 'a2', run_no: 1, s: '2024-02-20', e: '2024-05-31', is_open: false, spells: 1 },
      { participant_id: 'a2', run_no: 2, s: '2024-06-15', e: '2025-06-30', is_open: true, spells: 1 },
      { participant_id: 'a3', run_no: 1, s: '2024-04-15', e: '2025-06-30', is_open: true, spells: 2 },
    ]);
  });

  it('sums the audit into monthly payments with what max_count and the cap removed', async () => {
    await runSql(conn, WORKED);
    const rows = await queryRows(conn, `
      SELECT contract_id, outcome_code, strftime(period, '%Y-%m') AS period, achieved, paid_count, paid_jpy::DOUBLE AS paid,
             removed_by_max_count AS rmc, removed_by_max_count_jpy::DOUBLE AS rmc_jpy, removed_by_cap_jpy::DOUBLE AS cap_jpy,
             contract_paid_to_date_jpy::DOUBLE AS to_date, cap_remaining_jpy::DOUBLE AS remaining
      FROM marts.sib_payments WHERE contract_id IN ('A-CAPPED', 'B-MAXCOUNT') ORDER BY contract_id, period, outcome_code`);
    const r = (contract_id: string, outcome_code: string, period: string, achieved: number, paid_count: number, paid: number, rmc: number, rmc_jpy: number, cap_jpy: number, to_date: number, remaining: number) =>
      ({ contract_id, outcome_code, period, achieved, paid_count, paid, rmc, rmc_jpy, cap_jpy, to_date, remaining });
    expect(rows).toEqual([
      r('A-CAPPED', 'JOB', '2024-02', 2, 2, 400_000, 0, 0, 0, 400_000, 100_000),
      r('A-CAPPED', 'SUS', '2024-08', 1, 1, 100_000, 0, 0, 200_000, 500_000, 0),
      r('A-CAPPED', 'SUS', '2024-10', 1, 0, 0, 0, 0, 300_000, 500_000, 0),
      r('A-CAPPED', 'SUS', '2024-12', 1, 0, 0, 0, 0, 300_000, 500_000, 0),
      r('A-CAPPED', 'JOB', '2025-01', 1, 0, 0, 0, 0, 200_000, 500_000, 0),
      r('B-MAXCOUNT', 'INC', '2024-02', 1, 1, 50_000, 0, 0, 0, 50_000, 9_950_000),
      r('B-MAXCOUNT', 'JOB', '2024-03', 2, 2, 200_000, 0, 0, 0, 250_000, 9_750_000),
      r('B-MAXCOUNT', 'INC', '2024-04', 1, 1, 50_000, 0, 0, 0, 300_000, 9_700_000),
      r('B-MAXCOUNT', 'JOB', '2024-04', 1, 0, 0, 1, 100_000, 0, 300_000, 9_700_000),
      r('B-MAXCOUNT', 'INC', '2024-05', 1, 1, 50_000, 0, 0, 0, 350_000, 9_650_000),
      r('B-MAXCOUNT', 'INC', '2025-03', 1, 1, 50_000, 0, 0, 0, 400_000, 9_600_000),
    ]);
  });

  it('reports investor returns and the cost per paid outcome', async () => {
    await runSql(conn, WORKED);
    const rows = (await queryRows<Record<string, number | string | null>>(conn, 'SELECT * FROM marts.sib_investor_returns ORDER BY contract_id')).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])),
    );
    const [a, b, c] = rows;
    // A: (0.6 + √2.76) / 2 − 1 = 0.130662386; multiple 1,200,000 / 1,000,000 = 1.2; 500,000 paid over 3 outcomes paid something.
    expect(a!.investor_xirr).toBeCloseTo((0.6 + Math.sqrt(2.76)) / 2 - 1, 8);
    expect(a!.money_multiple).toBe(1.2);
    expect([a!.outcomes_achieved, a!.outcomes_paid, a!.outcome_payments_jpy, a!.removed_by_cap_jpy, a!.cost_per_paid_outcome_jpy]).toEqual([6, 3, 500_000, 1_000_000, 166_667]);
    // B: −400,000 then a net 450,000 after 366 days (2024 is a leap year): r = 1.125^(365/366) − 1; multiple 1.125; 400,000 / 6.
    expect(b!.investor_xirr).toBeCloseTo(Math.pow(1.125, 365 / 366) - 1, 8);
    expect(b!.money_multiple).toBe(1.125);
    expect([b!.cash_flows, b!.investor_net_jpy, b!.removed_by_max_count_jpy, b!.cost_per_paid_outcome_jpy]).toEqual([2, 50_000, 100_000, 66_667]);
    // C: no cash flows yet.
    expect([c!.investor_xirr, c!.money_multiple, c!.cash_flows, c!.cost_per_paid_outcome_jpy]).toEqual([null, null, 0, 240_000]);
  });
});

// --- XIRR ------------------------------------------------------------------------------------------

describe('XIRR', () => {
  it("matches Microsoft's documented XIRR example (0.373362535, 37.34%)", () => {
    const flows: CashFlow[] = [
      { date: '2008-01-01', amount: -10_000 },
      { date: '2008-03-01', amount: 2_750 },
      { date: '2008-10-30', amount: 4_250 },
      { date: '2009-02-15', amount: 3_250 },
      { date: '2009-04-01', amount: 2_750 },
    ];
    expect(xirr(flows)).toBeCloseTo(0.373362535, 8);
    expect(moneyMultiple(flows)).toBe(1.3);
  });

  it('is null when there is no flow of one sign', () => {
    expect(xirr([{ date: '2024-01-01', amount: -1 }])).toBeNull();
    expect(xirr([{ date: '2024-01-01', amount: 5 }, { date: '2025-01-01', amount: 5 }])).toBeNull();
  });

  it('returns a rate at which the NPV is about zero (property)', () => {
    // an outlay, then up to 12 returns each at most the outlay, from six months to ten years later
    // (rates from about −100% to about +14,000% a year, within the solver's bracket)
    const flow = fc.record({ day: fc.integer({ min: 180, max: 3650 }), share: fc.double({ min: 0.0001, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 10_000_000 }), fc.array(flow, { minLength: 1, maxLength: 12 }), (outlay, later) => {
        const flows: CashFlow[] = [{ date: '2020-01-01', amount: -outlay }, ...later.map((f) => ({ date: addDays('2020-01-01', f.day), amount: Math.max(1, Math.round(f.share * outlay)) }))];
        const r = xirr(flows);
        // one sign change: a rate always exists
        expect(r).not.toBeNull();
        const scale = flows.reduce((t, f) => t + Math.abs(f.amount), 0);
        expect(Math.abs(xnpv(r!, flows))).toBeLessThanOrEqual(1e-6 * scale);
      }),
      { numRuns: 300 },
    );
  });
});

// --- properties of the payment rules ---------------------------------------------------------------

const CODES = ['J', 'S', 'I'] as const;
const KINDS = { J: 'job_start', S: 'sustained_employment', I: 'income_at_least' } as const;

describe('payOutcomes (properties)', () => {
  const rateCard = fc.tuple(...CODES.map(() => fc.record({ price: fc.integer({ min: 0, max: 50 }).map((x) => x * 10_000), max: fc.option(fc.integer({ min: 0, max: 6 })) })));
  const achieved = fc.array(fc.record({ code: fc.constantFrom(...CODES), day: fc.integer({ min: 0, max: 700 }), p: fc.integer({ min: 1, max: 30 }) }), { maxLength: 60 });
  const setup = (cap: number, card: Array<{ price: number; max: number | null }>, list: Array<{ code: string; day: number; p: number }>) => {
    const contract: SibContract = { contractId: 'K', startDate: '2024-01-01', endDate: '2026-12-31', paymentCapJpy: cap };
    const outcomes: SibOutcome[] = CODES.map((code, i) => ({ contractId: 'K', outcomeCode: code, kind: KINDS[code], parameter: 1, priceJpy: card[i]!.price, maxCount: card[i]!.max }));
    // at most one achievement per participant and code
    const unique = new Map(list.map((a) => [`${a.p}/${a.code}`, a]));
    const lines = payOutcomes(contract, outcomes, [...unique.values()].map((a) => ({ contractId: 'K', outcomeCode: a.code, participantId: `p${String(a.p).padStart(2, '0')}`, achievedOn: addDays('2024-01-01', a.day) })));
    return { outcomes, lines };
  };

  it('never pays more than the cap, max_count per code or the price; what is removed adds up; nothing after the cap binds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), rateCard, achieved, (cap, card, list) => {
        const { outcomes, lines } = setup(cap, card, list);
        const total = lines.reduce((t, l) => t + l.paidJpy, 0);
        expect(total).toBeLessThanOrEqual(cap);
        for (const o of outcomes) {
          const paid = lines.filter((l) => l.outcomeCode === o.outcomeCode && l.paidJpy > 0).length;
          if (o.maxCount !== null) expect(paid).toBeLessThanOrEqual(o.maxCount);
        }
        let bound = false;
        let previous = Number.POSITIVE_INFINITY;
        for (const l of lines) {
          expect(l.paidJpy).toBeGreaterThanOrEqual(0);
          expect(l.paidJpy).toBeLessThanOrEqual(l.priceJpy);
          expect(l.paidJpy + l.removedByMaxCountJpy + l.removedByCapJpy).toBe(l.priceJpy);
          if (bound) expect(l.paidJpy).toBe(0);
          if (l.removedByCapJpy > 0) {
            bound = true;
            expect(l.paidJpy).toBeLessThanOrEqual(previous);
          }
          if (bound) previous = l.paidJpy;
        }
        // the cap binds exactly when what was admitted exceeds it
        const admitted = lines.reduce((t, l) => t + l.priceJpy - l.removedByMaxCountJpy, 0);
        expect(total).toBe(Math.min(cap, admitted));
      }),
      { numRuns: 500 },
    );
  });
});

// --- SQL equals the reference on random contracts ---------------------------------------------------

const AS_OF = '2025-06-30';
const day = (n: number) => addDays('2023-01-01', n); // 0 … 911 is 2023-01-01 … 2025-06-30
const MAX_DAY = 911;

const spellArb = fc.record({ start: fc.integer({ min: 0, max: MAX_DAY }), length: fc.option(fc.integer({ min: 0, max: 400 }), { freq: 3 }) }).map(
  ({ start, length }): Spell => ({ startedOn: day(start), endedOn: length === null ? null : day(Math.min(MAX_DAY, start + length)) }),
);
const personArb = fc.record({
  completed: fc.option(fc.integer({ min: 0, max: MAX_DAY }), { freq: 6 }),
  referred: fc.integer({ min: 0, max: MAX_DAY }),
  spells: fc.array(spellArb, { maxLength: 4 }),
  income: fc.uniqueArray(fc.record({ m: fc.integer({ min: 0, max: 29 }), gross: fc.integer({ min: 15, max: 40 }).map((x) => x * 10_000), verified: fc.boolean() }), { maxLength: 8, selector: (x) => x.m }),
});
const outcomeArb = fc.record({
  kind: fc.constantFrom('job_start', 'sustained_employment', 'income_at_least'),
  days: fc.integer({ min: 0, max: 400 }),
  yen: fc.integer({ min: 15, max: 40 }).map((x) => x * 10_000),
  price: fc.integer({ min: 0, max: 60 }).map((x) => x * 10_000),
  max: fc.option(fc.integer({ min: 0, max: 4 })),
});
const contractArb = fc.record({
  start: fc.integer({ min: 0, max: MAX_DAY }),
  length: fc.integer({ min: 0, max: 900 }),
  cap: fc.integer({ min: 0, max: 300 }).map((x) => x * 10_000),
  outcomes: fc.array(outcomeArb, { minLength: 1, maxLength: 4 }),
  people: fc.array(personArb, { maxLength: 10 }),
});

type ContractCase = typeof contractArb extends fc.Arbitrary<infer T> ? T : never;

function worldOf(cases: ContractCase[]): World {
  const w: World = { asOf: AS_OF, contracts: [], outcomes: [], referrals: [], people: [] };
  cases.forEach((c, k) => {
    const id = `K${String(k).padStart(3, '0')}`;
    w.contracts.push({ contractId: id, startDate: day(c.start), endDate: addDays(day(c.start), c.length), paymentCapJpy: c.cap });
    c.outcomes.forEach((o, j) =>
      w.outcomes.push({ contractId: id, outcomeCode: `O${j}`, kind: o.kind as SibOutcome['kind'], parameter: o.kind === 'income_at_least' ? o.yen : o.days, priceJpy: o.price, maxCount: o.max }),
    );
    c.people.forEach((p, j) => {
      const pid = `${id}-p${String(j).padStart(2, '0')}`;
      w.referrals.push({ contractId: id, participantId: pid, referredOn: day(p.referred) });
      w.people.push({
        participantId: pid,
        completedOn: p.completed === null ? null : day(p.completed),
        spells: p.spells,
        income: p.income.map((m) => ({ period: `${2023 + Math.floor(m.m / 12)}-${String((m.m % 12) + 1).padStart(2, '0')}-01`, grossIncomeJpy: m.gross, verified: m.verified })),
      });
    });
  });
  return w;
}

describe('SQL models = TypeScript reference (property)', () => {
  it('on random contracts, many per SQL run', async () => {
    let generated = 0;
    let capped = 0;
    let beyondMax = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(contractArb, { minLength: 1, maxLength: 40 }), async (cases) => {
        const w = worldOf(cases);
        await runSql(conn, w);
        const expected = reference(w);
        generated += expected.length;
        capped += expected.filter((l) => l.removedByCapJpy > 0).length;
        beyondMax += expected.filter((l) => l.removedByMaxCountJpy > 0).length;
        expect(await sqlLines(conn)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
    // the generator reaches the rules: many outcomes achieved, some capped, some beyond max_count
    expect(generated).toBeGreaterThan(50);
    expect(capped).toBeGreaterThan(5);
    expect(beyondMax).toBeGreaterThan(5);
  });
});

// --- demo data -------------------------------------------------------------------------------------

describe('SIB on the demo data', () => {
  const dir = tempDir('impact-sib-');
  const db = join(dir.path, 'warehouse.duckdb');
  beforeAll(async () => {
    const manifest = await generateDemo({ participants: 2000, seed: 1, outDir: join(dir.path, 'in'), dirty: false });
    const { sources } = planSources([join(dir.path, 'in')], {});
    await ingest(sources, { db, key: { key: Buffer.alloc(32, 9), origin: 'test key', created: false } });
    await build({ db, asOf: manifest.asOf });
  }, 300_000);
  afterAll(() => dir.cleanup());

  it('pays the capped Edogawa contract exactly its cap, and every audit row was referred before it achieved', async () => {
    await withConnection(db, { readOnly: true }, async (c) => {
      const [edogawa] = await queryRows<{ paid: number; cap: number; removed: number }>(c, `
        SELECT sum(paid_jpy)::DOUBLE AS paid, any_value(payment_cap_jpy)::DOUBLE AS cap, sum(removed_by_cap_jpy)::DOUBLE AS removed
        FROM marts.sib_payments WHERE contract_id = 'SIB-EDOGAWA-2023'`);
      expect(edogawa!.paid).toBe(edogawa!.cap);
      expect(edogawa!.removed).toBeGreaterThan(0);
      const unreferred = await queryRows(c, `
        SELECT a.* FROM marts.sib_outcome_audit a
        LEFT JOIN core.sib_referrals r USING (contract_id, participant_id)
        WHERE r.participant_id IS NULL OR a.achieved_on < r.referred_on`);
      expect(unreferred).toEqual([]);
      const [totals] = await queryRows<{ audit: number; payments: number }>(c, `
        SELECT (SELECT sum(paid_jpy) FROM marts.sib_outcome_audit)::DOUBLE AS audit, (SELECT sum(paid_jpy) FROM marts.sib_payments)::DOUBLE AS payments`);
      expect(totals!.payments).toBe(totals!.audit);
    });
  });

  it('has the demo municipalities pay exactly what the engine finds payable, each quarter on the last day of the month after it', async () => {
    await withConnection(db, { readOnly: true }, async (c) => {
      const rows = await queryRows<{ contract_id: string; cash: number; payable: number }>(c, `
        WITH payable AS (
          SELECT contract_id, sum(paid_jpy)::DOUBLE AS payable
          FROM marts.sib_outcome_audit
          WHERE last_day(date_trunc('quarter', achieved_on) + INTERVAL 3 MONTH) <= (SELECT max(as_of) FROM meta.builds)
          GROUP BY contract_id
        ), cash AS (
          SELECT contract_id, sum(amount_jpy)::DOUBLE AS cash FROM core.sib_cashflows WHERE party = 'municipality' GROUP BY contract_id
        )
        SELECT contract_id, coalesce(cash, 0) AS cash, coalesce(payable, 0) AS payable
        FROM core.sib_contracts LEFT JOIN cash USING (contract_id) LEFT JOIN payable USING (contract_id)
        ORDER BY contract_id`);
      expect(rows).toHaveLength(3);
      for (const r of rows) expect([r.contract_id, r.cash]).toEqual([r.contract_id, r.payable]);
    });
  });

  it('gives the same audit lines as the TypeScript reference', async () => {
    await withConnection(db, { readOnly: true }, async (c) => {
      const q = <T>(sql: string) => queryRows<T>(c, sql);
      const [{ d: asOf }] = (await q<{ d: string }>("SELECT strftime(max(as_of), '%Y-%m-%d') AS d FROM meta.builds")) as [{ d: string }];
      const people = new Map<string, ParticipantRecord>();
      for (const p of await q<{ id: string; completed: string | null }>("SELECT participant_id AS id, strftime(completed_on, '%Y-%m-%d') AS completed FROM core.participants")) {
        people.set(p.id, person(p.id, p.completed));
      }
      for (const x of await q<{ id: string; s: string; e: string | null }>("SELECT participant_id AS id, strftime(started_on, '%Y-%m-%d') AS s, strftime(ended_on, '%Y-%m-%d') AS e FROM core.employment_spells")) {
        people.get(x.id)?.spells.push(spell(x.s, x.e));
      }
      for (const m of await q<{ id: string; p: string; g: number; v: boolean }>("SELECT participant_id AS id, strftime(period, '%Y-%m-%d') AS p, gross_income_jpy::DOUBLE AS g, verified AS v FROM core.income_months")) {
        people.get(m.id)?.income.push(month(m.p, m.g, m.v));
      }
      const w: World = {
        asOf,
        people: [...people.values()],
        contracts: await q<SibContract>("SELECT contract_id AS contractId, strftime(start_date, '%Y-%m-%d') AS startDate, strftime(end_date, '%Y-%m-%d') AS endDate, payment_cap_jpy::DOUBLE AS paymentCapJpy FROM core.sib_contracts"),
        outcomes: await q<SibOutcome>('SELECT contract_id AS contractId, outcome_code AS outcomeCode, kind, parameter, price_jpy::DOUBLE AS priceJpy, max_count AS maxCount FROM core.sib_outcomes'),
        referrals: await q<SibReferral>("SELECT contract_id AS contractId, participant_id AS participantId, strftime(referred_on, '%Y-%m-%d') AS referredOn FROM core.sib_referrals"),
      };
      const lines = await sqlLines(c);
      expect(lines.length).toBeGreaterThan(100);
      expect(lines).toEqual(reference(w));
    });
  });
});
