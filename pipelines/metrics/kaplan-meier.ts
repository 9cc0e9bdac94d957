// Kaplan–Meier product-limit estimate with Greenwood standard errors and a log-log 95% band: the
// reference the SQL model marts.impact_time_to_first_job is tested against (docs/metrics/impact.md).

/** One person: time to the event, or to the end of observation when `event` is false (right-censored). */
export interface Observation {
  time: number;
  event: boolean;
}

/** One distinct time with an event or a censoring. */
export interface KaplanMeierRow {
  time: number;
  /** People whose time is `time` or later. */
  nAtRisk: number;
  events: number;
  censored: number;
  /** S(t) = Π over times u ≤ t of (1 − events/nAtRisk). */
  survival: number;
  /** Greenwood: S(t)·sqrt(Σ d/(n(n−d))); null once S(t) = 0. */
  stdErr: number | null;
  /** Log-log band S^exp(±z·sqrt(Σ)/|ln S|); equal to S while Σ = 0; null once S(t) = 0. */
  lower: number | null;
  upper: number | null;
}

/** qnorm(0.975): the 95% two-sided normal quantile. */
export const Z_95 = 1.959963984540054;

export function kaplanMeier(observations: readonly Observation[], z = Z_95): KaplanMeierRow[] {
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    const at = byTime.get(o.time) ?? { events: 0, censored: 0 };
    if (o.event) at.events += 1;
    else at.censored += 1;
    byTime.set(o.time, at);
  }
  const rows: KaplanMeierRow[] = [];
  let nAtRisk = observations.length;
  let survival = 1;
  let greenwood = 0;
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    const { events, censored } = byTime.get(time)!;
    survival *= 1 - events / nAtRisk;
    if (events < nAtRisk) greenwood += events / (nAtRisk * (nAtRisk - events));
    let stdErr: number | null = null;
    let lower: number | null = null;
    let upper: number | null = null;
    if (survival > 0) {
      stdErr = survival * Math.sqrt(greenwood);
      if (greenwood > 0) {
        const halfWidth = (z * Math.sqrt(greenwood)) / Math.abs(Math.log(survival));
        lower = survival ** Math.exp(halfWidth);
        upper = survival ** Math.exp(-halfWidth);
      } else {
        lower = upper = survival;
      }
    }
    rows.push({ time, nAtRisk, events, censored, survival, stdErr, lower, upper });
    nAtRisk -= events + censored;
  }
  return rows;
}

/** The first time with S(t) ≤ 0.5, or null while the curve stays above 0.5 (no midpoint rule). */
export function medianSurvivalTime(rows: readonly KaplanMeierRow[]): number | null {
  return rows.find((r) => r.survival <= 0.5)?.time ?? null;
}
