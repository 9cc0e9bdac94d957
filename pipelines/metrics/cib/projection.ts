// Projection of final CIB recovery: each open agreement's remaining window months are simulated by
// resampling the observed income paths of comparable graduates (same track, same months since
// completion), many times over with a seeded generator, so a build is reproducible. Definitions and
// assumptions: docs/metrics/cib.md, "Projection".
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { rateMillionths } from './rules.ts';

/** A graduate's observed income by months since completion: index s holds month s's income, or −1 when unreported. */
export interface DonorPath {
  track: string;
  /** incomes[s] for s = 0 … the last wholly elapsed month before the as-of date. */
  incomes: Int32Array | number[];
}

/** An open agreement of a completed participant, as of the as-of date. */
export interface ProjectionAgreement {
  track: string;
  thresholdJpy: number;
  shareRate: number;
  capJpy: number;
  /** Cumulative obligation so far. */
  obligedJpy: number;
  /** Counted months left before max_payments. */
  paymentsLeft: number;
  /** Months since completion of the first month to simulate (the month after the as-of month). */
  fromMonthSinceCompletion: number;
  /** Months since completion of the last window month. */
  toMonthSinceCompletion: number;
}

export interface ProjectionInput {
  agreements: readonly ProjectionAgreement[];
  donors: readonly DonorPath[];
  /** Net collected to date across all agreements, and funded across all agreements (JPY). */
  collectedJpy: number;
  fundedJpy: number;
  /** Calendar year of the month after the as-of month, and that month's number (0 = January). */
  startYear: number;
  startMonthOfYear: number;
  draws: number;
  seed: number;
}

export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
  mean: number;
}

export interface ProjectionResult {
  finalRecoveryRate: Quantiles;
  finalCollectedJpy: Quantiles;
  /** Fund balance (collected − funded) at the end of each calendar year from startYear. */
  balanceByYear: Array<{ year: number } & Quantiles>;
  agreementsProjected: number;
}

/** Quantile by linear interpolation between closest ranks (type 7, as numpy and R default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function summarise(values: Float64Array): Quantiles {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), mean: sum / sorted.length };
}

interface DonorPool {
  /** Donor paths, longest observed history first. */
  paths: Int32Array[];
  /** atLeast[s]: how many donors were observed s months after completion (a prefix of `paths`). */
  atLeast: Int32Array;
  longest: number;
}

function pool(donors: readonly DonorPath[]): DonorPool | null {
  const paths = donors.map((d) => Int32Array.from(d.incomes)).filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  if (paths.length === 0) return null;
  const longest = paths[0]!.length - 1;
  const atLeast = new Int32Array(longest + 1);
  for (const p of paths) for (let s = 0; s < p.length; s++) atLeast[s]!++;
  return { paths, atLeast, longest };
}

/**
 * P10/P50/P90 over `draws` simulations. In each, every open agreement walks its remaining window
 * months: it follows one comparable graduate's income path, drawn at random among those of its track
 * observed at that month since completion, until that path's history ends, then draws another (beyond
 * the longest history, months are drawn at the longest). Each month applies the engine's rules
 * (threshold, floor(rate × income), cap, max_payments); an obligation is assumed paid the month after.
 */
export function projectRecovery(input: ProjectionInput): ProjectionResult {
  const byTrack = new Map<string, DonorPath[]>();
  for (const d of input.donors) byTrack.set(d.track, [...(byTrack.get(d.track) ?? []), d]);
  const everyone = pool(input.donors);
  const pools = new Map<string, DonorPool | null>();
  for (const [track, ds] of byTrack) pools.set(track, pool(ds));
  const agreements = input.agreements.filter((a) => a.toMonthSinceCompletion >= a.fromMonthSinceCompletion && a.paymentsLeft > 0 && a.obligedJpy < a.capJpy);
  let lastOffset = 0;
  for (const a of agreements) lastOffset = Math.max(lastOffset, a.toMonthSinceCompletion - a.fromMonthSinceCompletion + 1);
  const years = Math.floor((input.startMonthOfYear + lastOffset) / 12) + 1;

  // Flat, monomorphic arrays for the inner loop.
  const n = agreements.length;
  const poolOf = agreements.map((a) => pools.get(a.track) ?? everyone);
  const ppm = Float64Array.from(agreements, (a) => rateMillionths(a.shareRate));
  const threshold = Float64Array.from(agreements, (a) => a.thresholdJpy);
  const cap = Float64Array.from(agreements, (a) => a.capJpy);
  const obligedAtStart = Float64Array.from(agreements, (a) => a.obligedJpy);
  const left0 = Int32Array.from(agreements, (a) => a.paymentsLeft);
  const from = Int32Array.from(agreements, (a) => a.fromMonthSinceCompletion);
  const to = Int32Array.from(agreements, (a) => a.toMonthSinceCompletion);
  const yearOfOffset = Int32Array.from({ length: lastOffset + 1 }, (_, offset) => Math.floor((input.startMonthOfYear + offset + 1) / 12));

  const rng = xoroshiro128plus(input.seed);
  const finalCollected = new Float64Array(input.draws);
  const balances = Array.from({ length: years }, () => new Float64Array(input.draws));
  const byYear = new Float64Array(years);
  for (let draw = 0; draw < input.draws; draw++) {
    byYear.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = poolOf[i];
      if (!p) continue;
      const rate = ppm[i]!;
      const limit = cap[i]!;
      const floor = threshold[i]!;
      let obliged = obligedAtStart[i]!;
      let left = left0[i]!;
      let path: Int32Array | null = null;
      const end = to[i]!;
      for (let s = from[i]!, offset = 0; s <= end; s++, offset++) {
        const at = s > p.longest ? p.longest : s;
        if (path === null || path.length <= at) path = p.paths[uniformInt(rng, 0, p.atLeast[at]! - 1)]!;
        const income = path[at]!;
        if (income < 0 || income < floor) continue;
        // floor(rate × income), exact: rate (millionths) × income is an integer below 2^53, and a quotient
        // of it by 10^6 that is not whole lies at least 10^-6 below the next integer, more than half an
        // ulp for any result under 9 × 10^9 yen, so the rounded division cannot reach it.
        let owe = Math.floor((rate * income) / 1_000_000);
        if (owe > limit - obliged) owe = limit - obliged;
        obliged += owe;
        total += owe;
        // paid the month after it falls due
        byYear[yearOfOffset[offset]!]! += owe;
        if (obliged >= limit || --left === 0) break;
      }
    }
    finalCollected[draw] = input.collectedJpy + total;
    let running = input.collectedJpy - input.fundedJpy;
    for (let y = 0; y < years; y++) {
      running += byYear[y]!;
      balances[y]![draw] = running;
    }
  }
  const collected = summarise(finalCollected);
  const rate = (x: number) => (input.fundedJpy > 0 ? x / input.fundedJpy : Number.NaN);
  return {
    finalCollectedJpy: collected,
    finalRecoveryRate: { p10: rate(collected.p10), p50: rate(collected.p50), p90: rate(collected.p90), mean: rate(collected.mean) },
    balanceByYear: balances.map((b, y) => ({ year: input.startYear + y, ...summarise(b) })),
    agreementsProjected: agreements.length,
  };
}
