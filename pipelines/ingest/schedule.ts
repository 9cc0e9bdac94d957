// Runs the files of an ingest run on several connections at once. A file that is small for DuckDB (one row group,
// about 120,000 rows) is read, checked and written by one thread; two such files side by side use both cores.

/**
 * Runs tasks 0..n-1 on `workers`, one task per worker at a time, starting a task only once the tasks it depends on
 * (lower-numbered ones) have finished; of the tasks ready, the first in `preference` (default: lowest-numbered).
 * After a failure no task starts: the tasks already running finish, then the failure of the lowest-numbered task is
 * thrown. `onActive` hears how many tasks are running or ready to run whenever a task starts or finishes.
 */
export async function runScheduled<W, T>(
  n: number,
  workers: readonly W[],
  dependsOn: (i: number) => readonly number[],
  run: (worker: W, i: number) => Promise<T>,
  preference: readonly number[] = Array.from({ length: n }, (_, i) => i),
  onActive?: (tasks: number) => void,
): Promise<T[]> {
  const results = new Array<T>(n);
  const state = new Array<'waiting' | 'running' | 'done'>(n).fill('waiting');
  const failures = new Map<number, unknown>();
  let wake = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const signal = () => {
    const wakeWaiting = wake;
    changed = new Promise<void>((resolve) => (wake = resolve));
    wakeWaiting();
  };

  const ready = (i: number) => state[i] === 'waiting' && dependsOn(i).every((d) => state[d] === 'done');

  /** The next task to start, 'wait' while every waiting task depends on a running one, or undefined when none is left. */
  const next = (): number | 'wait' | undefined => {
    if (failures.size > 0) return undefined;
    const i = preference.find(ready);
    if (i !== undefined) return i;
    return state.includes('waiting') ? 'wait' : undefined;
  };

  const reportActive = () => onActive?.(state.filter((st, i) => st === 'running' || (failures.size === 0 && ready(i))).length);

  const work = async (worker: W) => {
    for (;;) {
      const i = next();
      if (i === undefined) return;
      if (i === 'wait') {
        await changed;
        continue;
      }
      state[i] = 'running';
      reportActive();
      try {
        results[i] = await run(worker, i);
      } catch (error) {
        failures.set(i, error);
      } finally {
        state[i] = 'done';
        reportActive();
        signal();
      }
    }
  };
  await Promise.all(workers.map(work));
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return results;
}

/**
 * Tasks in the order to start them, among those ready (runScheduled's `preference`): the longest chain of work first,
 * a task's chain being its own cost (a file's bytes) and the longest chain of the tasks waiting for it. A large file
 * started last, or a chain started late (the repayments wait for the agreements), would finish alone while the other
 * connections sit idle.
 */
export function longestChainFirst(cost: readonly number[], requires: readonly (readonly number[])[]): number[] {
  const chain = new Array<number>(cost.length).fill(0);
  // A task depends only on lower-numbered ones, so the chains of the tasks waiting for i are known when i is reached.
  for (let i = cost.length - 1; i >= 0; i--) {
    const waiting = requires.flatMap((deps, j) => (deps.includes(i) ? [chain[j]!] : []));
    chain[i] = cost[i]! + Math.max(0, ...waiting);
  }
  return cost.map((_, i) => i).sort((a, b) => chain[b]! - chain[a]! || a - b);
}
