// Projection of final CIB recovery: each open agreement's remaining window months are simulated by
// resampling the observed income paths of comparable graduates (same track, same months since
// completion), many times over with a seeded generator, so a build is reproducible. Definitions and
// assumptions: docs/metrics/cib.md, "Projection".
import { Worker } from 'node:worker_threads';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { donorPool, shareLibrary, type DonorPool } from './donor-pool.ts';
import { walkByMonth, walkByStretch, yearOfOffset, type Ledger, type OpenAgreement } from './projection-walk.ts';
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

/**
 * A share library costs one pass over the pool's paths; it is built for a threshold and rate when the
 * agreements that share them make at least as many walks as the pool has path months (otherwise they
 * walk month by month). Both ways give the same result, so this only decides speed.
 */
function worthALibrary(agreements: number, draws: number, pool: DonorPool): boolean {
  return agreements * draws >= pool.libraryLength;
}

/** The open agreements ready to walk, and the calendar years their obligations are paid in. */
interface Plan {
  open: OpenAgreement[];
  agreementsProjected: number;
  years: number;
  yearOf: Int32Array;
}

function plan(input: ProjectionInput): Plan {
  const pathsByTrack = new Map<string, Int32Array[]>();
  const allPaths: Int32Array[] = [];
  for (const d of input.donors) {
    const path = d.incomes instanceof Int32Array ? d.incomes : Int32Array.from(d.incomes);
    allPaths.push(path);
    const paths = pathsByTrack.get(d.track);
    if (paths) paths.push(path);
    else pathsByTrack.set(d.track, [path]);
  }
  const everyone = donorPool(allPaths);
  const pools = new Map<string, DonorPool | null>();
  for (const [track, paths] of pathsByTrack) pools.set(track, donorPool(paths));
  const agreements = input.agreements.filter((a) => a.toMonthSinceCompletion >= a.fromMonthSinceCompletion && a.paymentsLeft > 0 && a.obligedJpy < a.capJpy);
  let lastOffset = 0;
  for (const a of agreements) lastOffset = Math.max(lastOffset, a.toMonthSinceCompletion - a.fromMonthSinceCompletion + 1);
  const open: OpenAgreement[] = [];
  for (const a of agreements) {
    const pool = pools.get(a.track) ?? everyone;
    if (!pool) continue;
    open.push({
      pool,
      thresholdJpy: a.thresholdJpy,
      rateMillionths: rateMillionths(a.shareRate),
      capLeftJpy: a.capJpy - a.obligedJpy,
      paymentsLeft: a.paymentsLeft,
      from: a.fromMonthSinceCompletion,
      to: a.toMonthSinceCompletion,
    });
  }
  return {
    open,
    agreementsProjected: agreements.length,
    years: yearOfOffset(lastOffset, input.startMonthOfYear) + 1,
    yearOf: Int32Array.from({ length: lastOffset + 1 }, (_, offset) => yearOfOffset(offset, input.startMonthOfYear)),
  };
}

/** What some of the agreements add up to in each simulation: collected[draw] and byYear[draw × years + year]. */
export interface Tally {
  collected: Float64Array;
  byYear: Float64Array;
}

/**
 * The open agreements in runs that share a library (one pool, the same threshold and rate), each run
 * ordered by first and last month since completion, so that successive agreements read the same
 * library rows; runs are cut to at most `longest` agreements, so they can be shared out.
 */
function runs({ open }: Plan, longest = Number.POSITIVE_INFINITY): number[][] {
  const groups = new Map<string, number[]>();
  const poolIds = new Map<DonorPool, number>();
  open.forEach((a, i) => {
    const key = `${poolIds.get(a.pool) ?? poolIds.set(a.pool, poolIds.size).get(a.pool)!}|${a.thresholdJpy}|${a.rateMillionths}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(i);
  });
  const cut: number[][] = [];
  for (const group of groups.values()) {
    group.sort((x, y) => open[x]!.from - open[y]!.from || open[x]!.to - open[y]!.to || x - y);
    for (let k = 0; k < group.length; k += longest) cut.push(group.slice(k, k + longest));
  }
  return cut;
}

/**
 * Walks the given runs of open agreements through every simulation. Agreement i (of those projected,
 * in input order) draws from its own stream, the seeded generator jumped i times (2^64 values apart),
 * all its simulations in turn; tallies hold whole yen below 2^53, exact in any order of addition. So
 * the result depends neither on the order agreements are walked in nor on how they are shared out.
 */
function tally(input: ProjectionInput, { open, years, yearOf }: Plan, share: number[][]): Tally {
  const streams = new Map<number, RandomGenerator>();
  const wanted = share.flat().sort((x, y) => x - y);
  const rng = xoroshiro128plus(input.seed);
  for (let i = 0, k = 0; k < wanted.length; i++, rng.jump()) if (wanted[k] === i) streams.set(wanted[k++]!, rng.clone());
  const collected = new Float64Array(input.draws);
  const ledger: Ledger = { byYear: new Float64Array(input.draws * years), row: 0, yearOf, startMonthOfYear: input.startMonthOfYear };
  for (const run of share) {
    const { pool, thresholdJpy, rateMillionths } = open[run[0]!]!;
    if (run.some((i) => open[i]!.pool !== pool || open[i]!.thresholdJpy !== thresholdJpy || open[i]!.rateMillionths !== rateMillionths)) {
      throw new Error('A run of the projection mixes agreements of different pools or terms.');
    }
    const library = worthALibrary(run.length, input.draws, pool) ? shareLibrary(pool, thresholdJpy, rateMillionths) : null;
    for (const i of run) {
      const a = open[i]!;
      const stream = streams.get(i)!;
      for (let draw = 0; draw < input.draws; draw++) {
        ledger.row = draw * years;
        collected[draw]! += library ? walkByStretch(stream, a, library, ledger) : walkByMonth(stream, a, ledger);
      }
    }
  }
  return { collected, byYear: ledger.byYear };
}

function result(input: ProjectionInput, { years, agreementsProjected }: Plan, { collected, byYear }: Tally): ProjectionResult {
  const finalCollected = collected.map((x) => input.collectedJpy + x);
  const balances = Array.from({ length: years }, (_, y) =>
    Float64Array.from({ length: input.draws }, (_, draw) => {
      let running = input.collectedJpy - input.fundedJpy;
      for (let k = 0; k <= y; k++) running += byYear[draw * years + k]!;
      return running;
    }),
  );
  const summary = summarise(finalCollected);
  const rate = (x: number) => (input.fundedJpy > 0 ? x / input.fundedJpy : Number.NaN);
  return {
    finalCollectedJpy: summary,
    finalRecoveryRate: { p10: rate(summary.p10), p50: rate(summary.p50), p90: rate(summary.p90), mean: rate(summary.mean) },
    balanceByYear: balances.map((b, y) => ({ year: input.startYear + y, ...summarise(b) })),
    agreementsProjected,
  };
}

/**
 * P10/P50/P90 over `draws` simulations. In each, every open agreement walks its remaining window
 * months: it follows one comparable graduate's income path, drawn at random among those of its track
 * observed at that month since completion, until that path's history ends, then draws another (beyond
 * the longest history, each month is drawn among those observed at the longest). Each month applies
 * the engine's rules (threshold, floor(rate × income), cap, max_payments); an obligation is assumed
 * paid the month after.
 */
export function projectRecovery(input: ProjectionInput): ProjectionResult {
  const p = plan(input);
  return result(input, p, tally(input, p, runs(p)));
}

/**
 * A projection input in a few flat arrays, for a worker thread: copying one large typed array costs
 * little, copying tens of thousands of small objects and paths does not.
 */
export interface PackedInput {
  tracks: string[];
  /** Per donor: track index, path length; every path end to end. */
  donorTrack: Int32Array;
  donorLength: Int32Array;
  incomes: Int32Array;
  /** Per agreement, AGREEMENT_FIELDS numbers: track index, threshold, rate, cap, obliged, payments left, from, to. */
  agreements: Float64Array;
  scalars: Omit<ProjectionInput, 'agreements' | 'donors'>;
}

const AGREEMENT_FIELDS = 8;

export function packInput(input: ProjectionInput): PackedInput {
  const { agreements, donors, ...scalars } = input;
  const trackIndex = new Map<string, number>();
  const indexOf = (track: string) => trackIndex.get(track) ?? trackIndex.set(track, trackIndex.size).get(track)!;
  const donorTrack = Int32Array.from(donors, (d) => indexOf(d.track));
  const donorLength = Int32Array.from(donors, (d) => d.incomes.length);
  const incomes = new Int32Array(donorLength.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const d of donors) {
    incomes.set(d.incomes, at);
    at += d.incomes.length;
  }
  const packed = new Float64Array(agreements.length * AGREEMENT_FIELDS);
  agreements.forEach((a, i) =>
    packed.set([indexOf(a.track), a.thresholdJpy, a.shareRate, a.capJpy, a.obligedJpy, a.paymentsLeft, a.fromMonthSinceCompletion, a.toMonthSinceCompletion], i * AGREEMENT_FIELDS),
  );
  return { tracks: [...trackIndex.keys()], donorTrack, donorLength, incomes, agreements: packed, scalars };
}

export function unpackInput(p: PackedInput): ProjectionInput {
  let at = 0;
  const donors = Array.from(p.donorTrack, (t, j) => {
    const incomes = p.incomes.subarray(at, at + p.donorLength[j]!);
    at += p.donorLength[j]!;
    return { track: p.tracks[t]!, incomes };
  });
  const agreements = Array.from({ length: p.agreements.length / AGREEMENT_FIELDS }, (_, i) => {
    const [track, thresholdJpy, shareRate, capJpy, obligedJpy, paymentsLeft, from, to] = p.agreements.subarray(i * AGREEMENT_FIELDS, (i + 1) * AGREEMENT_FIELDS);
    // counts and months back to small integers (| 0), as the walks take them
    return { track: p.tracks[track! | 0]!, thresholdJpy: thresholdJpy!, shareRate: shareRate!, capJpy: capJpy!, obligedJpy: obligedJpy!, paymentsLeft: paymentsLeft! | 0, fromMonthSinceCompletion: from! | 0, toMonthSinceCompletion: to! | 0 };
  });
  return { ...p.scalars, donors, agreements };
}

/** The tally of some runs of open agreements (indices of those projected): what a projection worker computes. */
export function tallyShare(input: ProjectionInput, share: number[][]): Tally {
  return tally(input, plan(input), share);
}

const WORKER = new URL('./projection-worker.mjs', import.meta.url);

/**
 * projectRecovery with the agreements shared out among worker threads, the same result to the bit
 * (see `tally`); for a large book on a machine with cores to spare. Runs are cut in pieces of about a
 * quarter of a worker's share and handed out largest first to the least loaded worker, weighing each
 * agreement by its months left, so that workers finish together and build few libraries each.
 */
export async function projectRecoveryInWorkers(input: ProjectionInput, workers: number): Promise<ProjectionResult> {
  const p = plan(input);
  const months = (i: number) => p.open[i]!.to - p.open[i]!.from + 1;
  const count = Math.max(1, Math.min(workers, p.open.length));
  const pieces = runs(p, Math.ceil(p.open.length / (4 * count))).sort((x, y) => y.reduce((n, i) => n + months(i), 0) - x.reduce((n, i) => n + months(i), 0));
  const shares = Array.from({ length: count }, () => ({ load: 0, runs: [] as number[][] }));
  for (const piece of pieces) {
    const least = shares.reduce((a, b) => (b.load < a.load ? b : a));
    least.runs.push(piece);
    least.load += piece.reduce((n, i) => n + months(i), 0);
  }
  const packed = packInput(input);
  const tallies = await Promise.all(
    shares.map(
      (share) =>
        new Promise<Tally>((resolve, reject) => {
          const worker = new Worker(WORKER, { workerData: { packed, share: share.runs } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`A projection worker stopped with exit code ${code}.`)));
        }),
    ),
  );
  const total: Tally = { collected: new Float64Array(input.draws), byYear: new Float64Array(input.draws * p.years) };
  for (const t of tallies) {
    for (let k = 0; k < total.collected.length; k++) total.collected[k]! += t.collected[k]!;
    for (let k = 0; k < total.byYear.length; k++) total.byYear[k]! += t.byYear[k]!;
  }
  return result(input, p, total);
}
