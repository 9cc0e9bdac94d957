// Ctrl-C (SIGINT) or SIGTERM in the middle of a real `impact ingest` or `impact build`: the run removes its work copy
// and its lock before it exits, and the warehouse is the one it started from, byte for byte.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';
import { runCli, spawnCli, tempDir } from './helpers.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key') };
const cli = (...args: string[]) => runCli(args, env);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const base = join(dir.path, 'base.duckdb');

beforeAll(async () => {
  for (const [out, participants] of [['small', '300'], ['big', '20000']] as const) {
    const r = await cli('demo', '--participants', participants, '--seed', '3', '--out', join(dir.path, out));
    expect(r.code, r.stderr).toBe(0);
  }
  const r = await cli('ingest', join(dir.path, 'small'), '--db', base);
  expect(r.code, r.stderr).toBe(0);
}, 180_000);
afterAll(() => dir.cleanup());

/** Starts `impact <args>` on a copy of the base warehouse, sends `signal` once stderr matches `started`, and waits. */
async function interrupt(name: string, args: string[], started: RegExp, signal: NodeJS.Signals) {
  const db = join(dir.path, `${name}.duckdb`);
  copyFileSync(base, db);
  copyFileSync(warehousePaths(base).quarantine, warehousePaths(db).quarantine);
  const before = sha(db);
  const child = spawnCli([...args, '--db', db], env);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (started.test(stderr) || child.exitCode !== null) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
  expect(child.exitCode, `the run finished before it could be interrupted: ${stderr}`).toBeNull();
  // The work copy and the lock exist while the run runs: what the signal must clean up.
  expect(readdirSync(dir.path).filter((n) => n.startsWith(`.${name}.duckdb.next-`)).length).toBeGreaterThan(0);
  child.kill(signal);
  return { exit: await closed, db, before, leftovers: readdirSync(dir.path).filter((n) => n.startsWith(`.${name}.duckdb.`) || n === `${name}.duckdb.lock`) };
}

describe('an interrupted run', () => {
  it('SIGTERM during an ingest removes the work copy and the lock, exits 143, and leaves the warehouse as it was', async () => {
    const { exit, db, before, leftovers } = await interrupt('ingest', ['ingest', join(dir.path, 'big')], /Loading [1-9]/, 'SIGTERM');
    expect(exit).toEqual({ code: 143, signal: null });
    expect(leftovers).toEqual([]);
    expect(sha(db)).toBe(before);
    // The next run is not held up by anything the interrupted one left.
    const r = await cli('ingest', join(dir.path, 'big', 'cohorts.csv'), '--db', db);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('Ctrl-C (SIGINT) during a build removes the work copy and the lock, exits 130, and leaves the warehouse as it was', async () => {
    const { exit, db, before, leftovers } = await interrupt('build', ['build'], /Building [1-9]/, 'SIGINT');
    expect(exit).toEqual({ code: 130, signal: null });
    expect(leftovers).toEqual([]);
    expect(sha(db)).toBe(before);
  }, 120_000);
});
