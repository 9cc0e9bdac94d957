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
  /** Offset of the first month paid in year y: 12 y − startMonthOfYear − 1. */
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

/**
 * The definition: each month, follow the current donor's path; draw a donor among those observed at
 * this month since completion when there is none yet or its history has ended, and each month beyond
 * the longest history (among those observed at the longest, whose last month is used). Each month
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
  for (let s = a.from; s <= a.to; s++) {
    const at = s > longest ? longest : s;
    if (path === null || path.length <= at || s > longest) path = pool.paths[drawIndex(rng, pool.atLeast[at]!)]!;
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

/**
 * Same draws, same result as walkByMonth, in a few steps: each donor drawn is followed for the whole
 * stretch of its path up to the end of its history or of the window, judged from the library's running
 * totals, and the month the cap or max_payments is reached is found by scanning them.
 */
export function walkByStretch(rng: RandomGenerator, a: OpenAgreement, library: ShareLibrary, ledger: Ledger): number {
  const { lengths, atLeast, longest } = a.pool;
  const { rowStart, rows, whole, start, byDonor, owedAtLongest, countedAtLongest } = library;
  const { byYear, row, yearOf, startMonthOfYear } = ledger;
  const { from, to } = a;
  let capLeft = a.capLeftJpy;
  let left = a.paymentsLeft;
  let total = 0;
  let s = from;
  while (s <= to && s <= longest) {
    const j = drawIndex(rng, atLeast[s]!);
    const toEnd = lengths[j]! <= to; // the stretch runs to the end of the donor's history, else of the window
    const end = toEnd ? lengths[j]! : to + 1; // months [s, end) of donor j's path
    const lo = 2 * (rowStart[s]! + j);
    const hi = toEnd ? 2 * j : 2 * (rowStart[end]! + j);
    const owed = (toEnd ? whole : rows)[hi]! - rows[lo]!;
    const counted = (toEnd ? whole : rows)[hi + 1]! - rows[lo + 1]!;
    if (owed < capLeft && counted < left) {
      left -= counted;
      capLeft -= owed;
      total += owed;
      // by the year each month is paid in: year y's first month is 12 y − startMonthOfYear − 1 months after `from`
      let year = yearOf[s - from]!;
      let k = lo;
      for (let next = from + 12 * (year + 1) - startMonthOfYear - 1; next < end; next += 12, year++) {
        const at = 2 * (rowStart[next]! + j);
        byYear[row + year]! += rows[at]! - rows[k]!;
        k = at;
      }
      byYear[row + year]! += (toEnd ? whole : rows)[hi]! - rows[k]!;
      s = end;
      continue;
    }
    // The agreement closes in this stretch, in the first month whose running totals reach the cap or max_payments.
    const base = 2 * start[j]!;
    const owedBefore = rows[lo]!;
    const countedBefore = rows[lo + 1]!;
    let k = s;
    while (byDonor[base + 2 * (k + 1)]! - owedBefore < capLeft && byDonor[base + 2 * (k + 1) + 1]! - countedBefore < left) k++;
    const owedToClose = Math.min(byDonor[base + 2 * (k + 1)]! - owedBefore, capLeft);
    let year = yearOf[s - from]!;
    let at = base + 2 * s;
    for (let next = from + 12 * (year + 1) - startMonthOfYear - 1; next < k; next += 12, year++) {
      byYear[row + year]! += byDonor[base + 2 * next]! - byDonor[at]!;
      at = base + 2 * next;
    }
    byYear[row + year]! += byDonor[base + 2 * k]! - byDonor[at]!;
    byYear[row + yearOf[k - from]!]! += owedToClose - (byDonor[base + 2 * k]! - owedBefore);
    return total + owedToClose;
  }
  // Beyond the longest history: a donor observed at the longest month drawn for each month. No branch
  // on whether a month counts (a month that does not owes 0 and counts 0): it would be mispredicted.
  const donorsAtLongest = owedAtLongest.length;
  while (s <= to) {
    const year = yearOf[s - from]!;
    let inYear = 0;
    for (; s <= to && yearOf[s - from] === year; s++) {
      const j = drawIndex(rng, donorsAtLongest);
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
