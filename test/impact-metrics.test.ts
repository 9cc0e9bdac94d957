// Programme impact metrics: the Kaplan–Meier reference and the impact marts against a textbook
// dataset, hand-computed worked examples, fast-check properties and the demo data.
// Definitions: docs/metrics/impact.md.
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../pipelines/db/connection.ts';
import { kaplanMeier, medianSurvivalTime, type Observation } from '../pipelines/metrics/kaplan-meier.ts';
import { quantileType7 } from '../pipelines/metrics/impact/quantile.ts';
import { parseSqlModel } from '../pipelines/models/build.ts';
import { quotedString } from '../pipelines/sql.ts';
import { ROOT, readOnlyRows, runCli, tempDir } from './helpers.ts';

const MODELS = join(ROOT, 'pipelines', 'models');
const MARTS = [
  'impact_funnel',
  'impact_withdrawals',
  'impact_time_to_first_job',
  'impact_time_to_first_job_summary',
  'impact_placement_rates',
  'impact_retention',
  'impact_income',
] as const;
const BREAKDOWNS = ['age_band', 'all', 'cohort', 'completion_quarter', 'gender', 'municipality', 'origin_region', 'provider', 'residence_status', 'track'];

// ---------------------------------------------------------------------------------------------
// A tiny warehouse: the core and staging tables the impact models read, filled from plain objects.

interface Spell {
  type?: 'impact_sourcing' | 'direct_hire' | 'other';
  it?: boolean;
  from: string;
  to?: string;
}

interface Person {
  id: string;
  track?: string;
  cohort?: string;
  enrolled: string;
  completed?: string;
  withdrawn?: string;
  spells?: Spell[];
  /** [period YYYY-MM, gross income] */
  income?: Array<[string, number]>;
  threshold?: number;
  repayments?: number[];
}

const lit = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'string' ? quotedString(v) : String(v);
const values = (rows: unknown[][]): string => rows.map((r) => `(${r.map((v) => lit(v as string)).join(', ')})`).join(',\n');

async function warehouse(asOf: string, people: Person[]): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`SET VARIABLE as_of = DATE ${quotedString(asOf)}`);
  await conn.run(`CREATE SCHEMA core; CREATE SCHEMA staging; CREATE SCHEMA marts;
    CREATE TABLE core.participants(participant_id VARCHAR, cohort_id VARCHAR, track VARCHAR, provider VARCHAR, municipality_code VARCHAR,
      gender VARCHAR, origin_region VARCHAR, residence_status VARCHAR, age_band VARCHAR, status VARCHAR, enrolled_on DATE, completed_on DATE, withdrawn_on DATE);
    CREATE TABLE core.employment_spells(employment_id VARCHAR, participant_id VARCHAR, employment_type VARCHAR, it_role BOOLEAN, started_on DATE, ended_on DATE, is_open BOOLEAN);
    CREATE TABLE core.income_months(participant_id VARCHAR, period DATE, gross_income_jpy BIGINT, months_since_completion BIGINT);
    CREATE TABLE staging.cib_agreements(agreement_id VARCHAR, participant_id VARCHAR, signed_on DATE, income_threshold_jpy BIGINT);
    CREATE TABLE staging.repayments(payment_id VARCHAR, agreement_id VARCHAR, paid_on DATE, amount_jpy BIGINT);`);
  const participants = people.map((p) => [
    p.id, p.cohort ?? 'C1', p.track ?? 'web_development', 'provider_a', '131016', 'female', 'Asia', 'refugee', '30-34',
    p.completed ? 'completed' : p.withdrawn ? 'withdrawn' : 'enrolled', p.enrolled, p.completed, p.withdrawn,
  ]);
  const spells = people.flatMap((p) => (p.spells ?? []).map((s, i) => [`${p.id}-e${i}`, p.id, s.type ?? 'other', s.it ?? false, s.from, s.to, s.to === undefined]));
  const income = people.flatMap((p) => (p.income ?? []).map(([period, jpy]) => [p.id, `${period}-01`, jpy, p.completed ?? null]));
  const agreements = people.filter((p) => p.threshold !== undefined).map((p) => [`${p.id}-a`, p.id, p.enrolled, p.threshold]);
  const repayments = people.flatMap((p) => (p.repayments ?? []).map((amount, i) => [`${p.id}-r${i}`, `${p.id}-a`, p.completed, amount]));
  await conn.run(`INSERT INTO core.participants VALUES ${values(participants)}`);
  if (spells.length) await conn.run(`INSERT INTO core.employment_spells VALUES ${values(spells)}`);
  if (income.length) {
    await conn.run(`INSERT INTO core.income_months SELECT c0, c1::DATE, c2,
      date_diff('month', date_trunc('month', c3::DATE), c1::DATE) FROM (VALUES ${values(income)}) t(c0, c1, c2, c3)`);
  }
  if (agreements.length) await conn.run(`INSERT INTO staging.cib_agreements VALUES ${values(agreements)}`);
  if (repayments.length) await conn.run(`INSERT INTO staging.repayments VALUES ${values(repayments)}`);
  await parseSqlModel('core', join(MODELS, 'core', 'employment_runs.sql')).run(conn, 'core.employment_runs');
  await parseSqlModel('core', join(MODELS, 'core', 'participant_milestones.sql')).run(conn, 'core.participant_milestones');
  for (const mart of MARTS) await parseSqlModel('marts', join(MODELS, 'marts', `${mart}.sql`)).run(conn, `marts.${mart}`);
  return { conn, close: () => (conn.closeSync(), instance.closeSync()) };
}

const rows = <T = Record<string, unknown>>(conn: DuckDBConnection, sql: string) => queryRows<T>(conn, sql);

// ---------------------------------------------------------------------------------------------
// Kaplan–Meier against Freireich et al. (1963), 6-MP arm, as analysed by Gehan (1965) and in
// Kalbfleisch & Prentice, Collett, Klein & Moeschberger: weeks in remission, + = censored.

const SIX_MP: Observation[] = [
  [6, 1], [6, 1], [6, 1], [6, 0], [7, 1], [9, 0], [10, 1], [10, 0], [11, 0], [13, 1], [16, 1],
  [17, 0], [19, 0], [20, 0], [22, 1], [23, 1], [25, 0], [32, 0], [32, 0], [34, 0], [35, 0],
].map(([time, event]) => ({ time: time!, event: event === 1 }));

// Published product-limit estimates and Greenwood standard errors at the event times.
const PUBLISHED: Array<[time: number, survival: number, stdErr: number]> = [
  [6, 0.857, 0.0764],
  [7, 0.807, 0.0869],
  [10, 0.753, 0.0963],
  [13, 0.69, 0.1068],
  [16, 0.627, 0.1141],
  [22, 0.538, 0.1282],
  [23, 0.448, 0.1346],
];

/** |a − b| within half a unit of the last published decimal. */
function expectPublished(actual: number | null | undefined, published: number, decimals: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - published)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

describe('Kaplan–Meier reference (pipelines/metrics/kaplan-meier.ts)', () => {
  const curve = kaplanMeier(SIX_MP);

  it('reproduces the published 6-MP estimates and Greenwood standard errors', () => {
    for (const [time, survival, stdErr] of PUBLISHED) {
      const row = curve.find((r) => r.time === time)!;
      expectPublished(row.survival, survival, 3);
      expectPublished(row.stdErr, stdErr, 4);
    }
    // By hand at t = 6: n = 21, d = 3: S = 18/21 = 0.857143; Greenwood Σ = 3/(21·18) = 0.0079365,
    // SE = 0.857143 · sqrt(0.0079365) = 0.076360.
    expect(curve[0]).toMatchObject({ time: 6, nAtRisk: 21, events: 3, censored: 1 });
    expect(curve[0]!.survival).toBeCloseTo(18 / 21, 12);
    expect(curve[0]!.stdErr).toBeCloseTo((18 / 21) * Math.sqrt(3 / (21 * 18)), 12);
    // Censored-only times are rows too: t = 9 has n = 16, nobody leaves by an event, S unchanged.
    expect(curve.find((r) => r.time === 9)).toMatchObject({ nAtRisk: 16, events: 0, censored: 1 });
    // The median: S(22) = 0.538 > 0.5, S(23) = 0.448 ≤ 0.5, so 23 weeks (R survfit agrees).
    expect(medianSurvivalTime(curve)).toBe(23);
  });

  it('gives the log-log 95% band R prints with conf.type = "log-log"', () => {
    // survfit(Surv(time, status) ~ 1, conf.type = "log-log") on the 6-MP arm.
    // At t = 6 by hand: Σ = 0.0079365, ln S = ln(0.857143) = −0.154151, half-width = 1.96·0.089087/0.154151 = 1.132700;
    // lower = 0.857143^exp(1.1327) = 0.857143^3.1040 = 0.6197, upper = 0.857143^exp(−1.1327) = 0.857143^0.32216 = 0.9515.
    const published: Array<[number, number, number]> = [
      [6, 0.62, 0.952], [7, 0.563, 0.923], [10, 0.503, 0.889], [13, 0.432, 0.849], [16, 0.368, 0.805], [22, 0.268, 0.747], [23, 0.188, 0.68],
    ];
    for (const [time, lower, upper] of published) {
      const row = curve.find((r) => r.time === time)!;
      expectPublished(row.lower, lower, 3);
      expectPublished(row.upper, upper, 3);
    }
  });

  it('stays within [0, 1], never rises, and n at risk falls by events + censored (fast-check)', () => {
    const sample = fc.array(fc.record({ time: fc.integer({ min: 0, max: 40 }), event: fc.boolean() }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(sample, (obs) => {
        const km = kaplanMeier(obs);
        expect(km[0]!.nAtRisk).toBe(obs.length);
        km.forEach((r, i) => {
          expect(r.survival).toBeGreaterThanOrEqual(0);
          expect(r.survival).toBeLessThanOrEqual(1);
          if (r.lower !== null) expect(r.lower).toBeLessThanOrEqual(r.survival + 1e-12);
          if (r.upper !== null) expect(r.upper).toBeGreaterThanOrEqual(r.survival - 1e-12);
          const next = km[i + 1];
          if (next) {
            expect(next.survival).toBeLessThanOrEqual(r.survival);
            expect(next.nAtRisk).toBe(r.nAtRisk - r.events - r.censored);
          } else {
            expect(r.nAtRisk).toBe(r.events + r.censored);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

/** Completers whose first job starts `time` days after completion (event) or who completed `time` days before as-of (censored). */
function completers(obs: readonly Observation[], asOf: string, prefix = 'p'): Person[] {
  return obs.map((o, i) => {
    const id = `${prefix}${String(i).padStart(3, '0')}`;
    if (o.event) {
      const job = new Date(Date.UTC(2020, 0, 1) + o.time * 86_400_000).toISOString().slice(0, 10);
      return { id, enrolled: '2019-06-01', completed: '2020-01-01', spells: [{ from: job, to: job }] };
    }
    const completed = new Date(Date.parse(`${asOf}T00:00:00Z`) - o.time * 86_400_000).toISOString().slice(0, 10);
    return { id, enrolled: '2019-06-01', completed };
  });
}

interface CurveRow {
  days: number;
  n_at_risk: number;
  events: number;
  censored: number;
  survival: number;
  std_err: number | null;
  lower_95: number | null;
  upper_95: number | null;
}

const curveSql = `SELECT days, n_at_risk, events, censored, survival, std_err, lower_95, upper_95
  FROM marts.impact_time_to_first_job WHERE breakdown = 'all' ORDER BY days`;

describe('marts.impact_time_to_first_job (SQL)', () => {
  it('reproduces the published 6-MP estimates, with weeks as days', async () => {
    const asOf = '2026-06-30';
    const { conn, close } = await warehouse(asOf, completers(SIX_MP, asOf));
    try {
      const curve = await rows<CurveRow>(conn, curveSql);
      for (const [time, survival, stdErr] of PUBLISHED) {
        const row = curve.find((r) => r.days === time)!;
        expectPublished(row.survival, survival, 3);
        expectPublished(row.std_err, stdErr, 4);
      }
      const [summary] = await rows(conn, `SELECT completers, jobs_found, censored, median_days FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all'`);
      expect(summary).toEqual({ completers: 21, jobs_found: 9, censored: 12, median_days: 23 });
    } finally {
      close();
    }
  });

  it('equals the TypeScript reference on random samples (fast-check)', async () => {
    const asOf = '2026-06-30';
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ time: fc.integer({ min: 0, max: 25 }), event: fc.boolean() }), { minLength: 1, maxLength: 40 }), async (obs) => {
        const { conn, close } = await warehouse(asOf, completers(obs, asOf));
        try {
          const sql = await rows<CurveRow>(conn, curveSql);
          const ts = kaplanMeier(obs);
          expect(sql.length).toBe(ts.length);
          ts.forEach((r, i) => {
            const s = sql[i]!;
            expect([s.days, s.n_at_risk, s.events, s.censored]).toEqual([r.time, r.nAtRisk, r.events, r.censored]);
            expect(s.survival).toBeCloseTo(r.survival, 12);
            for (const [a, b] of [[s.std_err, r.stdErr], [s.lower_95, r.lower], [s.upper_95, r.upper]] as const) {
              if (b === null) expect(a).toBeNull();
              else expect(a).toBeCloseTo(b, 10);
            }
          });
          const [median] = await rows<{ m: number | null }>(conn, `SELECT median_days AS m FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all'`);
          expect(median!.m).toBe(medianSurvivalTime(ts));
        } finally {
          close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// A worked example, as of 2026-06-30, computed by hand.
//
//   A  web   enrolled 2024-01-10, completed 2024-06-30. impact_sourcing IT job 2024-07-15 → 2025-01-31, then
//            direct_hire IT job 2025-02-10 → open: gap 10 days ≤ 14, one run from 2024-07-15, still open.
//            CIB threshold 280,000 (agreement); income 999,999 in 2024-01 (before completion: does not count),
//            300,000 in 2024-08 and 2025-06; pre-programme 100,000 (2023-11) and 140,000 (2023-12): baseline 120,000.
//            Repaid 30,000.
//   B  web   completed 2024-06-30. other, non-IT job 2024-09-01 → 2024-12-31, nothing after. Agreement threshold
//            150,000, income 200,000 in 2024-09 and 180,000 in 2025-06; only a refund of −5,000 (not repaying).
//   C  data  completed 2024-06-30. IT job 2024-08-01 → 2024-12-31, IT job 2025-01-20 → open: gap 20 days > 14, two runs.
//            No agreement: threshold 250,000; income 260,000 in 2025-06; pre-programme 0 (2023-12): baseline 0.
//   D  data  enrolled 2024-01-10, withdrew 2024-03-10 (60 days).
//   E  data  enrolled 2026-01-05, still in training.
//   F  data  completed 2026-03-22 (100 days before as-of), no job.
//   G  web   completed 2025-06-30 (365 days before as-of); impact_sourcing non-IT job 2025-12-27 (180 days after) → open.

const AS_OF = '2026-06-30';
const EXAMPLE: Person[] = [
  {
    id: 'A', enrolled: '2024-01-10', completed: '2024-06-30', threshold: 280_000, repayments: [30_000],
    spells: [{ type: 'impact_sourcing', it: true, from: '2024-07-15', to: '2025-01-31' }, { type: 'direct_hire', it: true, from: '2025-02-10' }],
    income: [['2023-11', 100_000], ['2023-12', 140_000], ['2024-01', 999_999], ['2024-08', 300_000], ['2025-06', 300_000]],
  },
  {
    id: 'B', enrolled: '2024-01-10', completed: '2024-06-30', threshold: 150_000, repayments: [-5_000],
    spells: [{ from: '2024-09-01', to: '2024-12-31' }], income: [['2024-09', 200_000], ['2025-06', 180_000]],
  },
  {
    id: 'C', track: 'data_analytics', enrolled: '2024-01-10', completed: '2024-06-30',
    spells: [{ it: true, from: '2024-08-01', to: '2024-12-31' }, { it: true, from: '2025-01-20' }], income: [['2023-12', 0], ['2025-06', 260_000]],
  },
  { id: 'D', track: 'data_analytics', enrolled: '2024-01-10', withdrawn: '2024-03-10' },
  { id: 'E', track: 'data_analytics', cohort: 'C3', enrolled: '2026-01-05' },
  { id: 'F', track: 'data_analytics', cohort: 'C2', enrolled: '2025-10-01', completed: '2026-03-22' },
  { id: 'G', cohort: 'C2', enrolled: '2025-01-06', completed: '2025-06-30', spells: [{ type: 'impact_sourcing', from: '2025-12-27' }] },
];

describe('impact marts on a worked example', () => {
  let db: { conn: DuckDBConnection; close: () => void };
  beforeAll(async () => {
    db = await warehouse(AS_OF, EXAMPLE);
  });
  afterAll(() => db.close());

  it('core.participant_milestones dates each milestone', async () => {
    const m = await rows(db.conn, `SELECT participant_id AS id, first_job_on::VARCHAR AS job, first_it_job_on::VARCHAR AS it,
      first_run_ended_on::VARCHAR AS run_end, sustained_6m_on::VARCHAR AS sustained, income_threshold_jpy::INTEGER AS threshold,
      income_at_threshold_on::VARCHAR AS income, first_repayment_on::VARCHAR AS repaid, pre_programme_income_jpy AS baseline
      FROM core.participant_milestones WHERE participant_id IN ('A', 'B', 'C', 'G') ORDER BY 1`);
    expect(m).toEqual([
      // A: run 2024-07-15 → open; 2024-07-15 + 182 days = 2025-01-13. Income month 2024-08 ≥ 280,000 → 2024-08-31.
      { id: 'A', job: '2024-07-15', it: '2024-07-15', run_end: null, sustained: '2025-01-13', threshold: 280000, income: '2024-08-31', repaid: '2024-06-30', baseline: 120000 },
      // B: run 2024-09-01 → 2024-12-31 is 122 days < 182. 200,000 ≥ 150,000 in 2024-09. No baseline reported.
      { id: 'B', job: '2024-09-01', it: null, run_end: '2024-12-31', sustained: null, threshold: 150000, income: '2024-09-30', repaid: null, baseline: null },
      // C: run 1 ends 2024-12-31 (< 2024-08-01 + 182 = 2025-01-30); run 2 from 2025-01-20: + 182 = 2025-07-21, open.
      { id: 'C', job: '2024-08-01', it: '2024-08-01', run_end: '2024-12-31', sustained: '2025-07-21', threshold: 250000, income: '2025-06-30', repaid: null, baseline: 0 },
      // G: 2025-12-27 + 182 = 2026-06-27 ≤ 2026-06-30, still open.
      { id: 'G', job: '2025-12-27', it: null, run_end: null, sustained: '2026-06-27', threshold: 250000, income: null, repaid: null, baseline: null },
    ]);
  });

  it('impact_funnel counts people through the stages', async () => {
    const funnel = await rows(db.conn, `SELECT stage, people, people_any_order, share_of_enrolled, share_of_previous FROM marts.impact_funnel WHERE breakdown = 'all' ORDER BY stage_order`);
    expect(funnel).toEqual([
      { stage: 'enrolled', people: 7, people_any_order: 7, share_of_enrolled: 1, share_of_previous: null },
      // A, B, C, F, G: 5/7 = 0.7143
      { stage: 'completed', people: 5, people_any_order: 5, share_of_enrolled: 0.7143, share_of_previous: 0.7143 },
      // A, B, C, G (F has none): 4/7 = 0.5714, 4/5 = 0.8
      { stage: 'first_job', people: 4, people_any_order: 4, share_of_enrolled: 0.5714, share_of_previous: 0.8 },
      // A, C: 2/7 = 0.2857, 2/4 = 0.5
      { stage: 'first_it_job', people: 2, people_any_order: 2, share_of_enrolled: 0.2857, share_of_previous: 0.5 },
      // A, C (G is sustained too, but had no IT job): any order 3
      { stage: 'sustained_6m', people: 2, people_any_order: 3, share_of_enrolled: 0.2857, share_of_previous: 1 },
      // A, C (B reached its 150,000 threshold but no IT job): any order 3
      { stage: 'income_at_threshold', people: 2, people_any_order: 3, share_of_enrolled: 0.2857, share_of_previous: 1 },
      // A only (B's −5,000 refund is not a repayment): 1/7 = 0.1429, 1/2 = 0.5
      { stage: 'repaying', people: 1, people_any_order: 1, share_of_enrolled: 0.1429, share_of_previous: 0.5 },
    ]);
    // track web_development = A, B, G: 3 enrolled, 3 completed, 3 jobs, 1 IT job (A), A to the end.
    const web = await rows<{ people: number }>(db.conn, `SELECT people FROM marts.impact_funnel WHERE breakdown = 'track' AND group_value = 'web_development' ORDER BY stage_order`);
    expect(web.map((r) => r.people)).toEqual([3, 3, 3, 1, 1, 1, 1]);
    // completion_quarter covers completers only: 2024-Q2 = A, B, C; 2025-Q2 = G; 2026-Q1 = F.
    const quarters = await rows(db.conn, `SELECT group_value, people FROM marts.impact_funnel WHERE breakdown = 'completion_quarter' AND stage = 'enrolled' ORDER BY 1`);
    expect(quarters).toEqual([{ group_value: '2024-Q2', people: 3 }, { group_value: '2025-Q2', people: 1 }, { group_value: '2026-Q1', people: 1 }]);
    const breakdowns = await rows<{ b: string }>(db.conn, `SELECT DISTINCT breakdown AS b FROM marts.impact_funnel ORDER BY 1`);
    expect(breakdowns.map((r) => r.b)).toEqual(BREAKDOWNS);
  });

  it('impact_withdrawals shows who left and when', async () => {
    const [w] = await rows(db.conn, `SELECT enrolled, in_training, withdrawn, withdrawal_rate, days_median, days_31_to_90 FROM marts.impact_withdrawals WHERE breakdown = 'all'`);
    // 1 withdrawal among the 6 whose training ended (5 completed + 1 withdrawn): 1/6 = 0.1667; 2024-01-10 → 2024-03-10 = 21 + 29 + 10 = 60 days.
    expect(w).toEqual({ enrolled: 7, in_training: 1, withdrawn: 1, withdrawal_rate: 0.1667, days_median: 60, days_31_to_90: 1 });
  });

  it('impact_time_to_first_job censors people without a job at the as-of date', async () => {
    // Days to first job: A 15, B 63 (1 + 31 + 31), C 32, G 180 (events); F censored at 100.
    // t=15: n=5, d=1, S = 4/5 = 0.8;  t=32: n=4, S = 0.8·3/4 = 0.6;  t=63: n=3, S = 0.6·2/3 = 0.4;
    // t=100: n=2, censored, S = 0.4;  t=180: n=1, d=1, S = 0 (SE and band empty).
    const curve = await rows<CurveRow>(db.conn, curveSql);
    expect(curve.map((r) => [r.days, r.n_at_risk, r.events, r.censored, r.survival])).toEqual([
      [15, 5, 1, 0, 0.8], [32, 4, 1, 0, 0.6000000000000001], [63, 3, 1, 0, 0.4000000000000001], [100, 2, 0, 1, 0.4000000000000001], [180, 1, 1, 0, 0],
    ].map((r) => r.map((v, i) => (i === 4 ? expect.closeTo(v, 12) : v))));
    // Greenwood at t=32: Σ = 1/(5·4) + 1/(4·3) = 0.05 + 0.083333 = 0.133333; SE = 0.6·sqrt(0.133333) = 0.219089.
    expect(curve[1]!.std_err).toBeCloseTo(0.6 * Math.sqrt(0.05 + 1 / 12), 12);
    expect(curve[4]).toMatchObject({ std_err: null, lower_95: null, upper_95: null });
    const [s] = await rows(db.conn, `SELECT completers, jobs_found, censored, median_days, survival_90, survival_180 FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all'`);
    // Median: first S ≤ 0.5 is 0.4 at t = 63. S(90) = S(63) = 0.4; S(180) = 0.
    expect(s).toEqual({ completers: 5, jobs_found: 4, censored: 1, median_days: 63, survival_90: expect.closeTo(0.4, 12), survival_180: 0 });
  });

  it('impact_placement_rates uses only people observed long enough', async () => {
    const rates = await rows(db.conn, `SELECT horizon_days, eligible, placed, placement_rate, not_observed FROM marts.impact_placement_rates WHERE breakdown = 'all' ORDER BY 1`);
    expect(rates).toEqual([
      // Observed ≥ 90 days: A, B, C (730), F (100), G (365). Placed ≤ 90 days: A 15, C 32, B 63 → 3/5 = 0.6.
      { horizon_days: 90, eligible: 5, placed: 3, placement_rate: 0.6, not_observed: 0 },
      // F completed 100 days before as-of: left out of the 180-day rate. A, B, C and G (180 ≤ 180) → 4/4 = 1.
      { horizon_days: 180, eligible: 4, placed: 4, placement_rate: 1, not_observed: 1 },
      // G completed exactly 365 days before as-of: observed long enough. 4/4 = 1.
      { horizon_days: 365, eligible: 4, placed: 4, placement_rate: 1, not_observed: 1 },
    ]);
  });

  it('impact_retention follows the run that starts with the first job', async () => {
    const r = await rows(db.conn, `SELECT measure, eligible, achieved, rate, median_days FROM marts.impact_retention WHERE breakdown = 'all' ORDER BY measure`);
    expect(r).toEqual([
      // impact_sourcing workers: A (2024-07-15) and G (2025-12-27). A was hired directly 2025-02-10: 17 + 31·3 + 30 + 31 + 28 + ... = 210 days. 1/2.
      { measure: 'hired_directly_after_impact_sourcing', eligible: 2, achieved: 1, rate: 0.5, median_days: 210 },
      // 12 months: first job + 12 months ≤ 2026-06-30 for A, B, C (G's 2026-12-27 is after as-of). Only A's run lasts: 1/3.
      { measure: 'retained_12_months', eligible: 3, achieved: 1, rate: 0.3333, median_days: null },
      // 6 months: A (2025-01-15), B (2025-03-01), C (2025-02-01), G (2026-06-27) eligible. A and G retained; B's run ended
      // 2024-12-31; C's first run ended 2024-12-31 and the 20-day gap broke it: 2/4.
      { measure: 'retained_6_months', eligible: 4, achieved: 2, rate: 0.5, median_days: null },
    ]);
  });

  it('impact_income gives quartiles (type 7) and uplift against the own baseline', async () => {
    // Month 2025-06 is 12 months after completion for A, B and C: 180,000, 260,000, 300,000 sorted.
    // Type 7: h = (n − 1)·p. p25: h = 0.5 → 180,000 + 0.5·80,000 = 220,000; median: h = 1 → 260,000;
    // p75: h = 1.5 → 260,000 + 0.5·40,000 = 280,000; mean = 740,000 / 3 = 246,666.67 → 246,667.
    // Uplift (baseline: A 120,000, C 0; B none): differences 180,000 and 260,000 → median 220,000;
    // ratio only where the baseline > 0: A 300,000 / 120,000 = 2.5.
    const [m12] = await rows(db.conn, `SELECT people, income_p25, income_median, income_p75, income_mean, people_with_baseline, uplift_median_jpy, uplift_median_ratio
      FROM marts.impact_income WHERE breakdown = 'all' AND months_since_completion = 12`);
    expect(m12).toEqual({ people: 3, income_p25: 220000, income_median: 260000, income_p75: 280000, income_mean: 246667, people_with_baseline: 2, uplift_median_jpy: 220000, uplift_median_ratio: 2.5 });
    expect([quantileType7([300_000, 180_000, 260_000], 0.25), quantileType7([300_000, 180_000, 260_000], 0.75)]).toEqual([220_000, 280_000]);
  });
});

// ---------------------------------------------------------------------------------------------
// Funnel properties over random careers.

const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
const randomPerson = fc.record({
  outcome: fc.constantFrom('completed', 'withdrawn', 'enrolled'),
  spells: fc.array(fc.record({ start: fc.integer({ min: 0, max: 700 }), length: fc.option(fc.integer({ min: 0, max: 400 })), it: fc.boolean(), type: fc.constantFrom('impact_sourcing', 'direct_hire', 'other') as fc.Arbitrary<'impact_sourcing' | 'direct_hire' | 'other'> }), { maxLength: 4 }),
  income: fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 6 }),
  threshold: fc.option(fc.integer({ min: 150_000, max: 350_000 })),
  repayment: fc.option(fc.integer({ min: -10_000, max: 50_000 })),
  track: fc.constantFrom('web_development', 'data_analytics'),
});

describe('impact_funnel properties (fast-check)', () => {
  it('stages never increase, in every group; every mart builds', async () => {
    const asOf = '2026-06-30';
    await fc.assert(
      fc.asyncProperty(fc.array(randomPerson, { minLength: 1, maxLength: 12 }), async (sample) => {
        const people: Person[] = sample.map((p, i) => ({
          id: `r${i}`,
          track: p.track,
          enrolled: '2023-06-01',
          completed: p.outcome === 'completed' ? '2024-01-01' : undefined,
          withdrawn: p.outcome === 'withdrawn' ? '2023-09-01' : undefined,
          spells: p.spells.map((s) => ({ type: s.type, it: s.it, from: day(s.start), to: s.length === null ? undefined : day(Math.min(s.start + s.length, 900)) })),
          income: p.income.map((jpy, m) => [`2024-${String(m + 1).padStart(2, '0')}`, jpy] as [string, number]),
          threshold: p.threshold ?? undefined,
          repayments: p.repayment === null ? undefined : [p.repayment],
        }));
        const { conn, close } = await warehouse(asOf, people);
        try {
          const funnel = await rows<{ breakdown: string; group_value: string; people: number; people_any_order: number }>(
            conn, `SELECT breakdown, group_value, people, people_any_order FROM marts.impact_funnel ORDER BY breakdown, group_value, stage_order`);
          for (let i = 1; i < funnel.length; i++) {
            const [a, b] = [funnel[i - 1]!, funnel[i]!];
            if (a.breakdown === b.breakdown && a.group_value === b.group_value) expect(b.people).toBeLessThanOrEqual(a.people);
            expect(b.people).toBeLessThanOrEqual(b.people_any_order);
          }
          const all = funnel.filter((r) => r.breakdown === 'all').map((r) => r.people);
          expect(all[0]).toBe(people.length);
          expect(all[1]).toBe(people.filter((p) => p.completed).length);
        } finally {
          close();
        }
      }),
      { numRuns: 30 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The demo programme, through the real CLI.

describe('impact marts on the demo data', () => {
  const dir = tempDir('impact-metrics-');
  const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
  const db = join(dir.path, 'w.duckdb');
  afterAll(() => dir.cleanup());

  it('build, and give plausible figures', async () => {
    for (const args of [
      ['demo', '--participants', '2000', '--out', join(dir.path, 'in')],
      ['ingest', join(dir.path, 'in'), '--db', db],
      ['build', '--db', db, '--as-of', '2026-10-31'],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const mart of MARTS) {
      const b = await readOnlyRows<{ b: string }>(db, `SELECT DISTINCT breakdown AS b FROM marts.${mart} ORDER BY 1`);
      expect(b.map((r) => r.b), mart).toEqual(BREAKDOWNS);
    }
    const [f] = await readOnlyRows<Record<string, number>>(db, `SELECT
        (SELECT completion_rate FROM (SELECT 1 - withdrawal_rate AS completion_rate FROM marts.impact_withdrawals WHERE breakdown = 'all')) AS completion_rate,
        (SELECT median_days FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all') AS median_days_to_first_job,
        (SELECT placement_rate FROM marts.impact_placement_rates WHERE breakdown = 'all' AND horizon_days = 180) AS placement_180,
        (SELECT rate FROM marts.impact_retention WHERE breakdown = 'all' AND measure = 'retained_12_months') AS retention_12m,
        (SELECT income_median FROM marts.impact_income WHERE breakdown = 'all' AND months_since_completion = 12) AS median_income_12m,
        (SELECT uplift_median_ratio FROM marts.impact_income WHERE breakdown = 'all' AND months_since_completion = 12) AS uplift_ratio_12m,
        (SELECT rate FROM marts.impact_retention WHERE breakdown = 'all' AND measure = 'hired_directly_after_impact_sourcing') AS direct_hire_share`);
    console.log('demo impact figures (2,000 participants, as of 2026-10-31):', f);
    expect(f!.completion_rate).toBeGreaterThan(0.6);
    expect(f!.completion_rate).toBeLessThan(0.98);
    expect(f!.median_days_to_first_job).toBeGreaterThan(14);
    expect(f!.median_days_to_first_job).toBeLessThan(365);
    expect(f!.placement_180).toBeGreaterThan(0.3);
    expect(f!.placement_180).toBeLessThanOrEqual(1);
    expect(f!.retention_12m).toBeGreaterThan(0.3);
    expect(f!.retention_12m).toBeLessThanOrEqual(1);
    expect(f!.median_income_12m).toBeGreaterThan(150_000);
    expect(f!.median_income_12m).toBeLessThan(600_000);
    // The KM curve and the placement rate tell the same story within a few points (both from the same people).
    const [km] = await readOnlyRows<{ s: number }>(db, `SELECT survival_180 AS s FROM marts.impact_time_to_first_job_summary WHERE breakdown = 'all'`);
    expect(Math.abs(1 - km!.s - f!.placement_180!)).toBeLessThan(0.1);
  });
});
