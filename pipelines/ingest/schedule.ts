// Runs the files of an ingest run on several connections at once. A file that is small for DuckDB (one row group,
// about 120,000 rows) is read, checked and written by one thread; two such files side by side use both cores.

/**
 * Runs tasks 0..n-1 on `workers`, one task per worker at a time, starting a task only once the tasks it depends on
 * (lower-numbered ones) have finished; of the tasks ready, the first in `preference` (default: lowest-numbered).
 * After a failure no task starts: the tasks already running finish, then the failure of the lowest-numbered task is
 * thrown.
 */
export async function runScheduled<W, T>(
  n: number,
  workers: readonly W[],
  dependsOn: (i: number) => readonly number[],
  run: (worker: W, i: number) => Promise<T>,
  preference: readonly number[] = Array.from({ length: n }, (_, i) => i),
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

  /** The next task to start, 'wait' while every waiting task depends on a running one, or undefined when none is left. */
  const next = (): number | 'wait' | undefined => {
    if (failures.size > 0) return undefined;
    let waiting = false;
    for (const i of preference) {
      if (state[i] !== 'waiting') continue;
      if (dependsOn(i).every((d) => state[d] === 'done')) return i;
      waiting = true;
    }
    return waiting ? 'wait' : undefined;
  };

  const work = async (worker: W) => {
    for (;;) {
      const i = next();
      if (i === undefined) return;
      if (i === 'wait') {
        await changed;
        continue;
      }
      state[i] = 'running';
      try {
        results[i] = await run(worker, i);
      } catch (error) {
        failures.set(i, error);
      } finally {
        state[i] = 'done';
        signal();
      }
    }
  };
  await Promise.all(workers.map(work));
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
  return results;
}
