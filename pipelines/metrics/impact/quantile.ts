// Sample quantile by linear interpolation between order statistics (Hyndman–Fan type 7): what
// DuckDB's quantile_cont, R's quantile() default and Excel's PERCENTILE.INC compute.

/** The p-quantile (0 ≤ p ≤ 1) of `values`; null when there are none. */
export function quantileType7(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
