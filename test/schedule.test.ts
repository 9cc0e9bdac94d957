// Running an ingest run's files side by side: the scheduler's order and failures, and load numbers that follow the
// plan whatever order files finish in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoadNumbers } from '../pipelines/ingest/load-numbers.ts';
import { longestChainFirst, runScheduled } from '../pipelines/ingest/schedule.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runScheduled', () => {
  it('starts a task only after the tasks it depends on, and keeps every worker busy otherwise', async () => {
    // 0 is slow; 2 depends on 0; 1 and 3 depend on nothing.
    const log: string[] = [];
    const durations = [30, 5, 5, 5];
    const deps = [[], [], [0], []];
    const results = await runScheduled(4, ['a', 'b'], (i) => deps[i]!, async (worker, i) => {
      log.push(`start ${i}`);
      await tick(durations[i]!);
      log.push(`end ${i}`);
      return `${i} on ${worker}`;
    });
    expect(results.map((r) => r.split(' ')[0])).toEqual(['0', '1', '2', '3']);
    expect(log.indexOf('start 2')).toBeGreaterThan(log.indexOf('end 0'));
    expect(log.indexOf('start 3')).toBeLessThan(log.indexOf('end 0'));
  });

  it('starts nothing after a failure, lets running tasks finish, and throws the failure of the lowest task', async () => {
    const started: number[] = [];
    const run = runScheduled(5, ['a', 'b'], () => [], async (_w, i) => {
      started.push(i);
      await tick(i === 0 ? 20 : 5);
      if (i === 0 || i === 1) throw new Error(`task ${i} failed`);
      return i;
    });
    await expect(run).rejects.toThrow('task 0 failed');
    expect(started).toEqual([0, 1]);
  });
});

describe('LoadNumbers', () => {
  const sha = (s: string) => Promise.resolve(s);

  it('numbers loads after the warehouse`s own, in plan order, and skips bytes loaded before or earlier in the run', async () => {
    const numbers = new LoadNumbers([{ load_id: 1, sha256: 'aaa', entity: 'income' }, { load_id: 2, sha256: 'bbb', entity: 'income' }], false);
    numbers.add('income', sha('aaa'));
    numbers.add('participants', sha('aaa')); // same bytes, another entity: loads
    numbers.add('income', sha('ccc'));
    numbers.add('income', sha('ccc'));
    expect(await Promise.all([0, 1, 2, 3].map((i) => numbers.get(i)))).toEqual([
      { sha256: 'aaa', alreadyLoadedAs: 1 },
      { sha256: 'aaa', loadId: 3 },
      { sha256: 'ccc', loadId: 4 },
      { sha256: 'ccc', alreadyLoadedAs: 4 },
    ]);
  });

  it('numbers every file with --reload; a file that cannot be hashed fails alone and takes no id (--skip-unreadable loads the files after it)', async () => {
    const numbers = new LoadNumbers([{ load_id: 7, sha256: 'aaa', entity: 'income' }], true);
    numbers.add('income', sha('aaa'));
    numbers.add('income', Promise.reject(new Error('no such file')));
    numbers.add('income', sha('bbb'));
    expect(await numbers.get(0)).toEqual({ sha256: 'aaa', loadId: 8 });
    await expect(numbers.get(1)).rejects.toThrow('no such file');
    expect(await numbers.get(2)).toEqual({ sha256: 'bbb', loadId: 9 });
  });
});

describe('runScheduled onActive', () => {
  it('counts the tasks running or ready to run: a chain keeps one active, independent tasks two', async () => {
    const counts = async (deps: number[][]) => {
      const seen: number[] = [];
      await runScheduled(deps.length, ['a', 'b'], (i) => deps[i]!, async (_w, i) => tick(5 + 10 * i), undefined, (n) => seen.push(n));
      return seen;
    };
    // 1 waits for 0: while 0 runs, 1 is not ready, so a second core would sit idle.
    expect(await counts([[], [0]])).toEqual([1, 1, 1, 0]);
    expect(await counts([[], []])).toEqual([2, 2, 1, 0]);
  });
});

describe('longestChainFirst', () => {
  it('puts first the task heading the longest chain of work, not the largest task', () => {
    // The demo's shape: 0 participants (15) heads income 1 (82), agreements 2 (6) and repayments 3 (27, waits for 2),
    // enrolments 4 (6); 5 fund transactions (7) waits for nothing. Chains: 0 → 97, 1 → 82, 2 → 33, 3 → 27, 4 → 6, 5 → 7.
    const order = longestChainFirst([15, 82, 6, 27, 6, 7], [[], [0], [0], [2], [0], []]);
    expect(order).toEqual([0, 1, 2, 3, 5, 4]);
  });

  it('is a permutation that puts every task after the tasks it waits for (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 12 }).chain((cost) =>
        fc.tuple(fc.constant(cost), fc.tuple(...cost.map((_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))))),
      ([cost, requires]) => {
        const order = longestChainFirst(cost, requires);
        expect([...order].sort((a, b) => a - b)).toEqual(cost.map((_, i) => i));
        // A task's chain is at least its own cost plus the chain of any task waiting for it (ties go to the lower task).
        const position = new Map(order.map((task, at) => [task, at]));
        requires.forEach((deps, j) => deps.forEach((d) => expect(position.get(d)!).toBeLessThan(position.get(j)!)));
      }),
    );
  });
});
