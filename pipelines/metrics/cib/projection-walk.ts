// One open agreement through its remaining window months in one simulation of the projection
// (docs/metrics/cib.md, "Projection"). Two walks give the same result from the same generator state,
// drawing the same donors in the same order: month by month (the definition, and the way for terms few
// agreements share), and stretch by stretch of a donor's path with a share library (the fast way).
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { monthShare, type DonorPool, type ShareLibrary } from './donor-pool.ts';

/** An open agreement as the walks take it. */
export interface OpenAgreement {
  pool: DonorPool;
  thresholdJpy: number;
  rateMillionths: number;
  /** Cap minus the obligation so far (above 0). */
  capLeftJpy: number;
  /** Counted months left before max_payments (above 0). */
  paymentsLeft: number;
  /** Months since completion of the first and last month to simulate. */
  from: number;
  to: number;
}

/**
 * Where a walk adds what falls due: byYear[row + yearOf[offset]], offset being months since the first
 * simulated month and the year the one the obligation is paid in (the month after it falls due).
 */
export interface Ledger {
  byYear: Float64Array;
  row: number;
  yearOf: Int32Array;
  /** Month of the year (0 = January) of the first simulated month: year y's first month paid is offset 12 y − startMonthOfYear − 1. */
  startMonthOfYear: number;
}

/** Calendar year (0 = the first simulated month's) in which the obligation of month `offset` is paid: the month after. */
export function yearOfOffset(offset: number, startMonthOfYear: number): number {
  return Math.floor((startMonthOfYear + offset + 1) / 12);
}

/**
 * A uniform integer in [0, n), without bias: Lemire's multiply-and-shift on one 32-bit value, rejecting
 * the rare low products that would favour some values. The low word comes from Math.imul and the high
 * word from an exact product (below 2^53 while n ≤ 2^21; larger pools, two million graduates of one
 * track, use pure-rand's uniformInt, which takes a floating-point modulo per draw).
 */
export function drawIndex(rng: RandomGenerator, n: number): number {
  if (n > 2_097_152) return uniformInt(rng, 0, n - 1);
  let word = rng.next() >>> 0;
  let low = Math.imul(word, n) >>> 0;
  if (low < n) {
    const threshold = (4294967296 - n) % n;
    while (low < threshold) {
      word = rng.next() >>> 0;
      low = Math.imul(word, n) >>> 0;
    }
  }
  return Math.floor((word * n) / 4294967296);
}

/** The unused half of the last 32-bit value drawn for a month beyond the longest history, or −1. */
let spareHalf = -1;

/**
 * A donor for a month beyond the longest history: uniform in [0, donors), without bias, by Lemire's
 * method on 16 bits (`reject` = 2^16 mod donors), so one 32-bit value serves two months; more than 2^16
 * donors take a value each (drawIndex). Months beyond the longest history are most of the draws.
 */
function drawBeyond(rng: RandomGenerator, donors: number, reject: number): number {
  if (donors > 65536) return drawIndex(rng, donors);
  for (;;) {
    let half = spareHalf;
    if (half >= 0) spareHalf = -1;
    else {
      const word = rng.next() >>> 0;
      half = word >>> 16;
      spareHalf = word & 0xffff;
    }
    const product = half * donors;
    if ((product & 0xffff) >= reject) return product >>> 16;
  }
}

/**
 * The definition: each month, follow the current donor's path; draw a donor among those observed at
 * this month since completion when there is none yet or its history has ended, and each month beyond
 * the longest history (among those observed at the longest, whose last month is used; drawBeyond). Each month
 * applies the engine's rules (threshold, floor(rate × income), cap, max_payments). Adds what falls due
 * to the ledger and returns the total.
 */
export function walkByMonth(rng: RandomGenerator, a: OpenAgreement, ledger: Ledger): number {
  const { pool } = a;
  const { byYear, row, yearOf } = ledger;
  const longest = pool.longest;
  let capLeft = a.capLeftJpy;
  let left = a.paymentsLeft;
  let total = 0;
  let path: Int32Array | null = null;
  spareHalf = -1;
  const reject = 65536 % pool.atLeast[longest]!;
  for (let s = a.from; s <= a.to; s++) {
    const at = s > longest ? longest : s;
    if (s > longest) path = pool.paths[drawBeyond(rng, pool.atLeast[longest]!, reject)]!;
    else if (path === null || path.length <= at) path = pool.paths[drawIndex(rng, pool.atLeast[at]!)]!;
    const share = monthShare(path[at]!, a.thresholdJpy, a.rateMillionths);
    if (share < 0) continue;
    const owe = share < capLeft ? share : capLeft;
    capLeft -= owe;
    total += owe;
    byYear[row + yearOf[s - a.from]!]! += owe;
    if (capLeft <= 0 || --left === 0) break;
  }
  return total;
}

/** Adds library positions [lo, hi) of one donor, lo being month s, to the ledger by the year each month is paid in. */
function addByYear(ledger: Ledger, from: number, library: ShareLibrary, lo: number, hi: number, s: number): void {
  const { byYear, row, yearOf, startMonthOfYear } = ledger;
  const { totals, bits } = library;
  let year = yearOf[s - from]!;
  // year y's first month is 12 y − startMonthOfYear − 1 months after `from`, one position a month
  for (let next = lo + from + 12 * (year + 1) - startMonthOfYear - 1 - s; next < hi; next += 12, year++) {
    byYear[row + year]! += (totals[next]! - totals[lo]!) >> bits;
    lo = next;
  }
  byYear[row + year]! += (totals[hi]! - totals[lo]!) >> bits;
}

/**
 * Same draws, same result as walkByMonth, in a few steps: each donor drawn is followed for the whole
 * stretch of its path up to the end of its history or of the window, judged from the library's running
 * totals, and the month the cap or max_payments is reached is found by scanning them.
 */
export function walkByStretch(rng: RandomGenerator, a: OpenAgreement, library: ShareLibrary, ledger: Ledger): number {
  const { atLeast, longest } = a.pool;
  const { spans, totals, bits, owedAtLongest, countedAtLongest } = library;
  const mask = (1 << bits) - 1;
  const { byYear, row, yearOf } = ledger;
  const { from, to } = a;
  let capLeft = a.capLeftJpy;
  let left = a.paymentsLeft;
  let total = 0;
  let s = from;
  while (s <= to && s <= longest) {
    const j = drawIndex(rng, atLeast[s]!);
    const end = spans[2 * j + 1]! <= to ? spans[2 * j + 1]! : to + 1; // months [s, end) of donor j's path
    const lo = spans[2 * j]! + s;
    const hi = lo + end - s;
    const stretch = totals[hi]! - totals[lo]!;
    const owed = stretch >> bits;
    const counted = stretch & mask;
    if (owed < capLeft && counted < left) {
      left -= counted;
      capLeft -= owed;
      total += owed;
      addByYear(ledger, from, library, lo, hi, s);
      s = end;
      continue;
    }
    // The agreement closes in this stretch, in the first month whose running totals reach the cap or max_payments.
    let k = lo;
    for (let upTo = totals[k + 1]! - totals[lo]!; upTo >> bits < capLeft && (upTo & mask) < left; upTo = totals[k + 1]! - totals[lo]!) k++;
    const owedToClose = Math.min((totals[k + 1]! - totals[lo]!) >> bits, capLeft);
    addByYear(ledger, from, library, lo, k, s);
    byYear[row + yearOf[s + k - lo - from]!]! += owedToClose - ((totals[k]! - totals[lo]!) >> bits);
    return total + owedToClose;
  }
  // Beyond the longest history: a donor observed at the longest month drawn for each month. No branch
  // on whether a month counts (a month that does not owes 0 and counts 0): it would be mispredicted.
  const donors = owedAtLongest.length;
  const reject = 65536 % donors;
  spareHalf = -1;
  while (s <= to) {
    const year = yearOf[s - from]!;
    let inYear = 0;
    for (; s <= to && yearOf[s - from] === year; s++) {
      const j = drawBeyond(rng, donors, reject);
      const owe = owedAtLongest[j]! < capLeft ? owedAtLongest[j]! : capLeft;
      capLeft -= owe;
      inYear += owe;
      left -= countedAtLongest[j]!;
      if (capLeft <= 0 || left === 0) {
        byYear[row + year]! += inYear;
        return total + inYear;
      }
    }
    byYear[row + year]! += inYear;
    total += inYear;
  }
  return total;
}
