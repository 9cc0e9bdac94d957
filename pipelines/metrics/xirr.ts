// Investor returns from dated cash flows: XIRR (as Excel computes it) and the money multiple.
//
// XIRR is the rate r solving  Σ amount_i / (1 + r)^((date_i − date_0) / 365) = 0  (Actual/365,
// date_0 the earliest flow), like Excel's XIRR. Solved by Newton's method safeguarded by bisection
// inside a bracket where the NPV changes sign, so it always converges when a root exists.
import { dayNumber } from './sib/dates.ts';

export interface CashFlow {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  amount: number;
}

/** Rates close to −100% (a near-total loss) are tried first: 1 − 10⁻¹², 1 − 10⁻⁹, … */
const NEAR_TOTAL_LOSS = [1e-12, 1e-9, 1e-6, 1e-4].map((x) => x - 1);
const HIGHEST_RATE = 1e6;

/** Net present value at `rate`, discounting each flow by its Actual/365 years from the earliest flow. */
export function xnpv(rate: number, flows: readonly CashFlow[]): number {
  const d0 = Math.min(...flows.map((f) => dayNumber(f.date)));
  let sum = 0;
  for (const f of flows) sum += f.amount / Math.pow(1 + rate, (dayNumber(f.date) - d0) / 365);
  return sum;
}

function dxnpv(rate: number, flows: readonly CashFlow[]): number {
  const d0 = Math.min(...flows.map((f) => dayNumber(f.date)));
  let sum = 0;
  for (const f of flows) {
    const t = (dayNumber(f.date) - d0) / 365;
    sum -= (t * f.amount) / Math.pow(1 + rate, t + 1);
  }
  return sum;
}

/**
 * A bracket [lo, hi] where the NPV changes sign, from a grid of rates between just above −100% and
 * 1,000,000%: of the sign changes found, the one nearest `guess` (so when several rates solve the
 * equation, the one nearest the guess is returned, as Excel's Newton iteration from its guess tends to). Null when none.
 */
function bracket(flows: readonly CashFlow[], guess: number): [number, number] | null {
  const grid: number[] = [...NEAR_TOTAL_LOSS];
  for (let i = 1; i < 200; i++) grid.push(-1 + i / 100);
  for (let x = 1; x <= HIGHEST_RATE; x *= 1.25) grid.push(x);
  grid.push(HIGHEST_RATE);
  const values = grid.map((r) => xnpv(r, flows));
  const brackets: Array<[number, number]> = [];
  for (let i = 1; i < grid.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (a === 0) brackets.push([grid[i - 1]!, grid[i - 1]!]);
    else if (Number.isFinite(a) && Number.isFinite(b) && Math.sign(a) !== Math.sign(b)) brackets.push([grid[i - 1]!, grid[i]!]);
  }
  if (brackets.length === 0) return null;
  const distance = ([lo, hi]: [number, number]) => Math.min(Math.abs(lo - guess), Math.abs(hi - guess));
  return brackets.reduce((best, b) => (distance(b) < distance(best) ? b : best));
}

/**
 * The annual internal rate of return of dated cash flows (Excel XIRR), or null when it does not
 * exist: fewer than two flows, no positive and negative flow, or no sign change of the NPV.
 */
export function xirr(flows: readonly CashFlow[], guess = 0.1): number | null {
  const live = flows.filter((f) => f.amount !== 0);
  if (live.length < 2 || !live.some((f) => f.amount > 0) || !live.some((f) => f.amount < 0)) return null;
  const found = bracket(live, guess);
  if (!found) return null;
  let [lo, hi] = found;
  if (lo === hi) return lo;
  let flo = xnpv(lo, live);
  let r = (lo + hi) / 2;
  for (let i = 0; i < 300; i++) {
    const f = xnpv(r, live);
    if (f === 0) return r;
    if (Math.sign(f) === Math.sign(flo)) {
      lo = r;
      flo = f;
    } else {
      hi = r;
    }
    const step = f / dxnpv(r, live);
    let next = r - step;
    // Newton's step when it stays inside the bracket, else bisection.
    if (!Number.isFinite(next) || next <= lo || next >= hi) next = (lo + hi) / 2;
    // Converged when the step is tiny relative to the growth factor 1 + r: near −100% (1 + r ≈ 1e-8)
    // an absolute tolerance would stop while the NPV is still far from zero.
    if (Math.abs(next - r) <= 1e-12 * (r < 0 ? 1 + Math.min(r, next, 0) : Math.max(1, r))) return next;
    r = next;
  }
  return r;
}

/** Money multiple: total received ÷ total paid out (positive ÷ |negative| flows); null when nothing was paid out. */
export function moneyMultiple(flows: readonly CashFlow[]): number | null {
  const received = flows.filter((f) => f.amount > 0).reduce((s, f) => s + f.amount, 0);
  const paidOut = -flows.filter((f) => f.amount < 0).reduce((s, f) => s + f.amount, 0);
  return paidOut === 0 ? null : received / paidOut;
}

/** One net flow per date (flows with several parties on one date are summed), ordered by date. */
export function netByDate(flows: readonly CashFlow[]): CashFlow[] {
  const net = new Map<string, number>();
  for (const f of flows) net.set(f.date, (net.get(f.date) ?? 0) + f.amount);
  return [...net].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([date, amount]) => ({ date, amount }));
}
