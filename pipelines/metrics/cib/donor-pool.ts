// The projection's donors: comparable graduates' observed income paths, ordered so that those
// observed at a given month since completion are a prefix (one random index draws among them), and
// share libraries that judge any stretch of a path against one set of terms with a few subtractions.

/** Donor paths of one track (or of every graduate), longest observed history first. */
export interface DonorPool {
  /** incomes[s] by months since completion, −1 when unreported; ties keep their input order. */
  paths: Int32Array[];
  /** atLeast[s]: how many donors were observed s months after completion (a prefix of `paths`). */
  atLeast: Int32Array;
  /** The longest history's last month since completion. */
  longest: number;
  /** Σ (path length + 1): the size of a share library for the pool. */
  libraryLength: number;
}

export function donorPool(paths: readonly Int32Array[]): DonorPool | null {
  // Array sort is stable, so donors of equal history keep the caller's (participant) order.
  const sorted = paths.filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return null;
  const longest = sorted[0]!.length - 1;
  const atLeast = new Int32Array(longest + 1);
  let libraryLength = 0;
  for (const p of sorted) {
    for (let s = 0; s < p.length; s++) atLeast[s]!++;
    libraryLength += p.length + 1;
  }
  return { paths: sorted, atLeast, longest, libraryLength };
}

/**
 * What a month of income owes before the cap: floor(rate × income) when reported at or above the
 * threshold, else −1 (the month does not count). Exact: rate (millionths) × income is an integer below
 * 2^53, and a quotient of it by 10^6 that is not whole lies at least 10^-6 below the next integer, more
 * than half an ulp for any result under 9 × 10^9 yen, so the rounded division cannot reach it.
 */
export function monthShare(incomeJpy: number, thresholdJpy: number, rateMillionths: number): number {
  if (incomeJpy < 0 || incomeJpy < thresholdJpy) return -1;
  return Math.floor((rateMillionths * incomeJpy) / 1_000_000);
}

/**
 * A pool's paths judged against one threshold and rate, as running totals packed in one 32-bit integer
 * a month: for donor j, from position spans[2 j], for each month s of its path and one past its end,
 * (uncapped share owed by its months before s) × 2^bits + (how many of them count). Months [a, b) of
 * the path then owe (total at b − total at a) >> bits over (total at b − total at a) & (2^bits − 1)
 * counted months: exact, since both running totals only grow and a count difference is below 2^bits.
 * Four bytes a month rather than eight keep a large pool's library in the processor's caches, where
 * its random donor reads are cheap; one donor's totals lie together, a cache line or two for a stretch.
 */
export interface ShareLibrary {
  /** spans[2 j]: where donor j's totals start in `totals`; spans[2 j + 1]: its path length. */
  spans: Int32Array;
  totals: Int32Array;
  /** Low bits of a total that hold the months counted: enough for the longest path's length. */
  bits: number;
  /** For each donor observed at the pool's longest month: what that month owes before the cap (0 when it does not count) … */
  owedAtLongest: Int32Array;
  /** … and whether it counts (1) or not (0). */
  countedAtLongest: Int32Array;
}

/** The library, or null when a path's packed running total would not fit 31 bits (then agreements walk month by month). */
export function shareLibrary(pool: DonorPool, thresholdJpy: number, rateMillionths: number): ShareLibrary | null {
  const { paths, atLeast, longest } = pool;
  const bits = 32 - Math.clz32(longest + 1);
  const fits = Math.floor(2_147_483_647 / 2 ** bits);
  const spans = new Int32Array(2 * paths.length);
  const totals = new Int32Array(pool.libraryLength);
  let at = 0;
  for (let j = 0; j < paths.length; j++) {
    const path = paths[j]!;
    spans[2 * j] = at;
    spans[2 * j + 1] = path.length;
    let owed = 0;
    let counted = 0;
    for (let s = 0; s <= path.length; s++, at++) {
      totals[at] = owed * 2 ** bits + counted;
      const share = s < path.length ? monthShare(path[s]!, thresholdJpy, rateMillionths) : -1;
      if (share >= 0) {
        owed += share;
        counted++;
        if (owed >= fits) return null;
      }
    }
  }
  const owedAtLongest = new Int32Array(atLeast[longest]!);
  const countedAtLongest = new Int32Array(atLeast[longest]!);
  for (let j = 0; j < owedAtLongest.length; j++) {
    const share = monthShare(paths[j]![longest]!, thresholdJpy, rateMillionths);
    owedAtLongest[j] = Math.max(share, 0);
    countedAtLongest[j] = share >= 0 ? 1 : 0;
  }
  return { spans, totals, bits, owedAtLongest, countedAtLongest };
}
