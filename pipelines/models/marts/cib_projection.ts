// marts.cib_projection: P10/P50/P90 of the CIB fund's final recovery and of its balance at the end of
// each future year, by resampling the observed income paths of comparable graduates. A TypeScript
// model because it is a seeded simulation (pipelines/metrics/cib/projection.ts). Definitions:
// docs/metrics/cib.md, "Projection".
import { availableParallelism } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../../db/connection.ts';
import { projectRecovery, projectRecoveryInWorkers, type DonorPath, type ProjectionAgreement, type ProjectionInput } from '../../metrics/cib/projection.ts';
import type { TsModelDefinition } from '../build.ts';

/** Simulations per build, and the fixed seed that makes a build reproducible. */
export const PROJECTION_DRAWS = 1000;
export const PROJECTION_SEED = 20_240_401;

/**
 * From this many agreement walks (agreements × draws), a few seconds' work on one thread, the projection
 * is shared out among worker threads: the same result to the bit, about 1.6 times as fast on two idle
 * cores, but each thread costs about half a second to start and load, and on cores busy with other work
 * the threads can take longer than one would.
 */
const WORKERS_FROM_WALKS = 20_000_000;
const MAX_WORKERS = 4;

const AGREEMENTS_SQL = `
SELECT m.agreement_id, p.track, m.income_threshold_jpy::DOUBLE AS threshold, m.income_share_rate AS rate,
       m.payment_cap_jpy::DOUBLE AS cap, m.cumulative_obligation_jpy::DOUBLE AS obliged,
       (m.max_payments - m.payments_counted)::INTEGER AS payments_left,
       (date_diff('month', date_trunc('month', p.completed_on), m.month) + 1)::INTEGER AS from_s,
       date_diff('month', date_trunc('month', p.completed_on), m.window_end_month)::INTEGER AS to_s
FROM core.cib_agreement_months m
JOIN core.participants p USING (participant_id)
WHERE m.month = date_trunc('month', getvariable('as_of'))
  AND m.status IN ('grace', 'repaying', 'deferred', 'unreported')
ORDER BY m.agreement_id`;

// Every graduate's path from the month of completion to the last month wholly elapsed by the as-of date.
const DONORS_SQL = `
WITH graduates AS (
  SELECT participant_id, track,
         date_diff('month', date_trunc('month', completed_on),
                   CASE WHEN last_day(getvariable('as_of')) = getvariable('as_of') THEN date_trunc('month', getvariable('as_of'))
                        ELSE date_trunc('month', getvariable('as_of')) - INTERVAL 1 MONTH END)::INTEGER AS horizon
  FROM core.participants
  WHERE completed_on IS NOT NULL AND track IS NOT NULL
)
SELECT g.participant_id, g.track, g.horizon,
       list(i.months_since_completion::INTEGER ORDER BY i.period) FILTER (WHERE i.period IS NOT NULL) AS s,
       list(i.gross_income_jpy::DOUBLE ORDER BY i.period) FILTER (WHERE i.period IS NOT NULL) AS income
FROM graduates g
LEFT JOIN core.income_months i ON i.participant_id = g.participant_id AND i.months_since_completion BETWEEN 0 AND g.horizon
WHERE g.horizon >= 0
GROUP BY ALL
ORDER BY g.participant_id`;

const FUND_SQL = `
SELECT coalesce(sum(paid_jpy), 0)::DOUBLE AS collected, coalesce(sum(funded_amount_jpy), 0)::DOUBLE AS funded,
       (count(*) FILTER (WHERE status = 'training'))::INTEGER AS in_training,
       year(getvariable('as_of') + INTERVAL 1 MONTH)::INTEGER AS start_year,
       (month(getvariable('as_of') + INTERVAL 1 MONTH) - 1)::INTEGER AS start_month
FROM marts.cib_agreements`;

export const model: TsModelDefinition = {
  description: `Projection of the Career Impact Bond fund, one row per measure and year: P10, P50 and P90 over ${PROJECTION_DRAWS} seeded simulations (pure-rand xoroshiro128+, seed ${PROJECTION_SEED}, each agreement in agreement_id order drawing from the generator jumped once more than the previous one's, so a build is reproducible) of final recovery and of the fund balance at the end of each calendar year. Each simulation walks every open agreement of a completed participant (grace, repaying, deferred, unreported as of the as-of month) through its remaining window months from the month after the as-of month: it follows the observed income path (core.income_months, unreported months kept as such) of a graduate of the same track drawn at random among those observed at that many months since completion, drawing another when that path's history ends (beyond the longest observed history, one each month among those observed at the longest); each month applies the engine's rules (threshold, floor(rate × income), cap, max_payments) and the obligation is assumed paid the month after. Agreements still in training are not projected (so recovery is understated), current arrears are assumed never collected, no prepayments are assumed. Definitions in docs/metrics/cib.md.`,
  columns: {
    measure: 'final_recovery_rate (collected to date plus projected collections, over funded; year empty), final_collected_jpy (year empty) or fund_balance_jpy (collected to date plus projected collections paid by the end of year, minus funded, over all agreements).',
    year: 'Calendar year the fund balance is measured at the end of; empty for the final measures.',
    p10: '10th percentile over the simulations (linear interpolation between closest ranks); rates to 6 decimals, yen to the yen.',
    p50: 'Median over the simulations.',
    p90: '90th percentile over the simulations.',
    mean: 'Mean over the simulations.',
    draws: 'Number of simulations.',
    seed: 'Seed of the random generator.',
    agreements_projected: 'Open agreements of completed participants simulated (those with window months, payments and cap left).',
    agreements_in_training: 'Agreements in training as of the as-of date, not projected.',
  },
  reads: ['core.cib_agreement_months', 'core.participants', 'core.income_months', 'marts.cib_agreements'],
  build: async (conn: DuckDBConnection, table: string) => {
    const rows = await queryRows<{ track: string; threshold: number; rate: number; cap: number; obliged: number; payments_left: number; from_s: number; to_s: number }>(conn, AGREEMENTS_SQL);
    const agreements: ProjectionAgreement[] = rows.map((r) => ({
      track: r.track,
      thresholdJpy: Number(r.threshold),
      shareRate: Number(r.rate),
      capJpy: Number(r.cap),
      obligedJpy: Number(r.obliged),
      paymentsLeft: r.payments_left,
      fromMonthSinceCompletion: r.from_s,
      toMonthSinceCompletion: r.to_s,
    }));
    const donorRows = await queryRows<{ track: string; horizon: number; s: number[] | null; income: number[] | null }>(conn, DONORS_SQL);
    const donors: DonorPath[] = donorRows.map((d) => {
      const incomes = new Int32Array(d.horizon + 1).fill(-1);
      (d.s ?? []).forEach((s, i) => (incomes[s] = Number(d.income![i])));
      return { track: d.track, incomes };
    });
    const [fund] = await queryRows<{ collected: number; funded: number; in_training: number; start_year: number; start_month: number }>(conn, FUND_SQL);
    const input: ProjectionInput = {
      agreements,
      donors,
      collectedJpy: Number(fund!.collected),
      fundedJpy: Number(fund!.funded),
      startYear: fund!.start_year,
      startMonthOfYear: fund!.start_month,
      draws: PROJECTION_DRAWS,
      seed: PROJECTION_SEED,
    };
    const workers = Math.min(availableParallelism(), MAX_WORKERS);
    const result = workers > 1 && agreements.length * PROJECTION_DRAWS >= WORKERS_FROM_WALKS ? await projectRecoveryInWorkers(input, workers) : projectRecovery(input);
    await conn.run(`CREATE OR REPLACE TABLE ${table} (measure VARCHAR, year INTEGER, p10 DOUBLE, p50 DOUBLE, p90 DOUBLE, mean DOUBLE,
      draws INTEGER, seed INTEGER, agreements_projected INTEGER, agreements_in_training INTEGER)`);
    const r6 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(6)) : null);
    const r0 = (x: number) => (Number.isFinite(x) ? Math.round(x) : null);
    const out: Array<[string, number | null, (x: number) => number | null, { p10: number; p50: number; p90: number; mean: number }]> = [
      ['final_recovery_rate', null, r6, result.finalRecoveryRate],
      ['final_collected_jpy', null, r0, result.finalCollectedJpy],
      ...result.balanceByYear.map((b): [string, number, (x: number) => number | null, typeof b] => ['fund_balance_jpy', b.year, r0, b]),
    ];
    for (const [measure, year, round, q] of out) {
      await conn.run(`INSERT INTO ${table} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        measure, year, round(q.p10), round(q.p50), round(q.p90), round(q.mean), PROJECTION_DRAWS, PROJECTION_SEED, result.agreementsProjected, fund!.in_training,
      ] as never);
    }
    // Rows in a fixed order, for byte-reproducible builds.
    await conn.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${table} ORDER BY measure, year NULLS FIRST`);
  },
};
