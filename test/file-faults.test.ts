// A full disk and a damaged warehouse file, for real: a small tmpfs that fills up part-way through a load or a build,
// and a warehouse cut to half its length. Each gives one sentence naming the warehouse (not its work copy), and leaves
// the warehouse as it was with no work copy or lock behind.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainFileFault } from '../pipelines/file-faults.ts';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';
import { runCli, tempDir } from './helpers.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key') };
const cli = (...args: string[]) => runCli(args, env);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const demo = join(dir.path, 'demo');
const base = join(dir.path, 'base.duckdb');

/** A copy of the base warehouse and its quarantine at `db`. */
function copyBase(db: string): void {
  copyFileSync(base, db);
  copyFileSync(warehousePaths(base).quarantine, warehousePaths(db).quarantine);
}

/** What a failed run must not leave beside `db`: a work copy (with its .wal) or a lock. */
function leftovers(db: string): string[] {
  const name = db.split('/').at(-1)!;
  return readdirSync(join(db, '..')).filter((n) => n.startsWith(`.${name}.`) || n === `${name}.lock` || n === `${name}.wal`);
}

beforeAll(async () => {
  const r = await cli('demo', '--participants', '300', '--seed', '7', '--out', demo);
  expect(r.code, r.stderr).toBe(0);
  const i = await cli('ingest', demo, '--db', base);
  expect(i.code, i.stderr).toBe(0);
}, 120_000);
afterAll(() => dir.cleanup());

describe('a full disk', () => {
  const mount = join(dir.path, 'small-disk');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(mount);
    // Room for the warehouse, its quarantine and one work copy, and little more: the load or the build runs out part-way.
    const room = 2 * statSync(base).size + statSync(warehousePaths(base).quarantine).size + 256 * 1024;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(room / 4096) * 4096}`, 'tmpfs', mount], { stdio: 'ignore' });
      mounted = true;
    } catch {
      // Not root, or no mount in this sandbox: the tests on DuckDB's captured text below still run.
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mount]);
  });

  it.each([
    ['ingest', ['ingest', '--reload', demo]],
    ['build', ['build']],
  ])('during %s: one sentence naming the warehouse, which is left as it was', async (_, args) => {
    if (!mounted) return expect.fail('could not mount a small tmpfs (needs root); see the tests on the captured text');
    const db = join(mount, 'w.duckdb');
    copyBase(db);
    const before = sha(db);
    const r = await cli(...args, '--db', db);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^(Loading|Building) /.test(l));
    expect(lines[0]).toBe(
      `error: The disk is full: the work copy of ${db} could not be written, so nothing from this run was kept and ${db} is as it was; free some space (a change needs room for a second copy of it) and run again.`,
    );
    expect(lines[1]).toMatch(/^detail: .*No space left on device/);
    expect(lines).toHaveLength(2);
    expect(sha(db)).toBe(before);
    expect(leftovers(db)).toEqual([]);
  }, 120_000);

  it("is told from DuckDB's own texts, through the error a file's load wraps them in", () => {
    const work = '/data/.warehouse.duckdb.next-4242.wal';
    const texts = [
      `TransactionContext Error: Failed to commit: Could not write file "${work}": No space left on device`,
      `FATAL Error: Failed to create checkpoint because of error: Could not write file "${work}": No space left on device`,
    ];
    for (const text of texts) {
      const wrapped = new Error('Loading income.csv failed, so nothing from this run was kept', { cause: new Error(text) });
      expect(explainFileFault(wrapped)?.message).toMatch(/^The disk is full: the work copy of \/data\/warehouse\.duckdb could not be written/);
    }
    const copy = Object.assign(new Error("ENOSPC: no space left on device, copyfile 'a' -> 'b'"), { code: 'ENOSPC', dest: '/data/.warehouse.duckdb.next-7' });
    expect(explainFileFault(copy)?.message).toMatch(/^The disk is full: the work copy of \/data\/warehouse\.duckdb/);
    expect(explainFileFault(new Error('Loading income.csv failed: income.csv has no column for amount_jpy.'))).toBeUndefined();
  });
});

describe('a damaged warehouse', () => {
  const db = join(dir.path, 'cut.duckdb');
  beforeAll(() => {
    copyBase(db);
    truncateSync(db, Math.floor(statSync(db).size / 2));
  });
  const sentence = `error: ${db} is damaged or is not a DuckDB database (cut short, perhaps by a full disk or an interrupted copy): restore it from a backup, or move it aside and load the source files again with \`impact ingest\`.`;

  it.each([
    ['build', ['build']],
    ['status', ['status']],
    ['query', ['query', 'SELECT count(*) FROM raw.income']],
    ['ingest', ['ingest', join(demo, 'cohorts.csv')]],
  ])('%s says so in one sentence naming the warehouse, not its work copy, and changes nothing', async (_, args) => {
    const before = sha(db);
    const r = await cli(...args, '--db', db);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^(Loading|Building) /.test(l));
    expect(lines[0]).toBe(sentence);
    expect(lines[1]).toMatch(/^detail: IO Error: /);
    expect(lines).toHaveLength(2);
    expect(sha(db)).toBe(before);
    expect(leftovers(db)).toEqual([]);
  }, 60_000);

  it('a file that is not a DuckDB database at all is named the same way', () => {
    const text = 'IO Error: The file "/data/.warehouse.duckdb.next-12" exists, but it is not a valid DuckDB database file!';
    expect(explainFileFault(new Error(text))?.message).toMatch(/^\/data\/warehouse\.duckdb is damaged or is not a DuckDB database/);
  });
});
