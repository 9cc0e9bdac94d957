// Seeded randomness for the demo generator. Every draw comes from a pure-rand xoroshiro128+ generator
// whose state is derived from (seed, stream, index), so each participant (or each part of the file set)
// has its own independent sequence: changing how one participant is drawn never shifts another, and
// the clean and --dirty runs share every base row. Nothing here reads the clock or Math.random.
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Independent sequences; one per concern so that adding draws to one never moves another. */
export const Stream = {
  participant: 1,
  cohortPlan: 2,
  fund: 3,
  sib: 4,
  faults: 5,
  formats: 6,
} as const;

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Folds any safe-integer seed into 32 bits (seeds above 2^32 differ in their high bits too). */
export function seed32(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x1_0000_0000);
  return hi === 0 ? lo | 0 : (lo ^ fmix32(hi ^ 0x5bd1e995)) | 0;
}

function stateFor(seed: number, stream: number, index: number): number[] {
  const a = fmix32(seed ^ 0x9e3779b9);
  const b = fmix32(a ^ Math.imul(stream + 1, 0x27d4eb2f));
  const c = fmix32(b ^ Math.imul(index + 1, 0x165667b1));
  const d = fmix32(c ^ 0x7f4a7c15);
  const state: number[] = [a ^ c, b ^ d, fmix32(c + 0x632be5ab), fmix32(d + 0x2545f491)];
  // xoroshiro must not start from the all-zero state.
  if (!state.some((v) => v !== 0)) state[0] = 1;
  return state;
}

const TWO_32 = 0x1_0000_0000;

export class Random {
  private readonly g: RandomGenerator;

  constructor(seed: number, stream: number, index = 0) {
    this.g = xoroshiro128plusFromState(stateFor(seed, stream, index));
    // Discard a few outputs so nearby indices decorrelate fully.
    for (let i = 0; i < 4; i++) this.g.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return (this.g.next() >>> 0) / TWO_32;
  }

  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Uniform real in [lo, hi). */
  real(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.float() * values.length)] as T;
  }

  /** Normal by Box–Muller (one of the pair is discarded: simplicity over speed). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  weighted<T>(table: Weighted<T>): T {
    const x = this.float() * table.total;
    const cum = table.cumulative;
    let i = 0;
    while (i < cum.length - 1 && x >= (cum[i] as number)) i++;
    return table.values[i] as T;
  }
}

/** A discrete distribution: values with relative weights (they need not sum to 1). */
export class Weighted<T> {
  readonly values: T[];
  readonly cumulative: Float64Array;
  readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map(([v]) => v);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, w], i) => {
      sum += w;
      this.cumulative[i] = sum;
    });
    this.total = sum;
    if (!(sum > 0)) throw new Error('a weighted table needs a positive total weight');
  }

  static of<K extends string>(weights: Partial<Record<K, number>>): Weighted<K> {
    return new Weighted(Object.entries(weights) as Array<[K, number]>);
  }
}

/**
 * Splits `total` into integer parts proportional to `weights` (largest remainder), so the parts
 * always sum to exactly `total`.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}
