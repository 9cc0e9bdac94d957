// One delivery, two files that load and two that cannot be read (an Excel file cut short, a CSV without a required
// column): by default the run stops with one sentence naming the file and changes nothing; with --skip-unreadable
// the two good files load, all or nothing, and each skipped file is listed on one line. Through the real CLI.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';
import { runCli, staffRows, tempDir } from './helpers.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key') };
const cli = (...args: string[]) => runCli(args, env);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const base = join(dir.path, 'base.duckdb');
const delivery = join(dir.path, 'delivery');
/** stderr without the progress lines. */
const messages = (stderr: string) => stderr.trim().split('\n').filter((l) => !/^Loading /.test(l));

/** A copy of the base warehouse and its quarantine. */
function copyBase(name: string): string {
  const db = join(dir.path, name);
  copyFileSync(base, db);
  copyFileSync(warehousePaths(base).quarantine, warehousePaths(db).quarantine);
  return db;
}

beforeAll(async () => {
  const first = join(dir.path, 'first');
  for (const [out, seed] of [[first, '7'], [delivery, '99']] as const) {
    const r = await cli('demo', '--participants', '50', '--seed', seed, '--out', out);
    expect(r.code, r.stderr).toBe(0);
  }
  const r = await cli('ingest', first, '--db', base);
  expect(r.code, r.stderr).toBe(0);
  // The delivery keeps two good files; the rest are replaced by two that cannot be read.
  const keep = ['participants.csv', 'income.csv'];
  const folder = join(dir.path, 'mixed');
  mkdirSync(folder);
  for (const name of keep) copyFileSync(join(delivery, name), join(folder, name));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('enrollments');
  for (const line of readFileSync(join(delivery, 'enrollments.csv'), 'utf8').trimEnd().split('\n')) ws.addRow(line.split(','));
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(join(folder, 'enrollments-cut.xlsx'), xlsx.subarray(0, Math.floor(xlsx.length / 2)));
  writeFileSync(join(folder, 'repayments-no-amount.csv'), 'payment_id,agreement_id,paid_on\nP1,A1,2026-01-01\n');
}, 120_000);
afterAll(() => dir.cleanup());

describe('a delivery with files that cannot be read', () => {
  const folder = () => join(dir.path, 'mixed');

  it('stops by default with one sentence naming the file, the detail on the next line, and changes nothing', async () => {
    const db = copyBase('default.duckdb');
    const before = sha(db);
    const r = await cli('ingest', folder(), '--db', db);
    expect(r.code).toBe(1);
    const [sentence, detail, ...rest] = messages(r.stderr);
    expect(sentence).toMatch(
      /^error: (enrollments-cut\.xlsx|repayments-no-amount\.csv) could not be read, so nothing from this run was kept \(`impact ingest --skip-unreadable` loads the other files\): [^\n]+\.$/,
    );
    expect(sentence!.length).toBeLessThan(250);
    expect(detail).toMatch(/^detail: /);
    expect(rest).toEqual([]);
    expect(sha(db)).toBe(before);
  });

  it('with --skip-unreadable loads the others atomically and lists each skipped file on one line, on the terminal only', async () => {
    const db = copyBase('skip.duckdb');
    const r = await cli('ingest', folder(), '--skip-unreadable', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const lines = messages(r.stderr);
    expect(lines.filter((l) => /^Skipped enrollments-cut\.xlsx, which could not be read: [^\n]+\.$/.test(l))).toHaveLength(1);
    expect(lines).toContain('Skipped repayments-no-amount.csv, which could not be read: repayments-no-amount.csv has no column for amount_jpy.');
    expect(lines).toContain('2 of 4 files were skipped and nothing from them was loaded; fix them and run `impact ingest` again.');
    // The two good files loaded, as a whole: every row of each, in this run (income after the participants it names).
    const loads = await staffRows<{ file_name: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
      db,
      'SELECT file_name, rows_read::INTEGER AS rows_read, rows_loaded::INTEGER AS rows_loaded, rows_rejected::INTEGER AS rows_rejected FROM loads WHERE run_id = (SELECT max_by(run_id, load_id) FROM loads) ORDER BY file_name',
    );
    expect(loads.map((l) => l.file_name)).toEqual(['income.csv', 'participants.csv']);
    for (const l of loads) expect(l.rows_loaded + l.rows_rejected).toBe(l.rows_read);
    expect(loads.find((l) => l.file_name === 'participants.csv')!.rows_loaded).toBe(50);
    // A skipped file's name is in neither the warehouse nor the quarantine (file names never reach the warehouse).
    for (const file of [db, warehousePaths(db).quarantine]) {
      for (const name of ['enrollments-cut.xlsx', 'repayments-no-amount.csv']) expect(readFileSync(file).includes(Buffer.from(name)), `${name} in ${file}`).toBe(false);
    }
  });

  it('with --skip-unreadable and nothing readable, fails in one sentence and changes nothing', async () => {
    const db = copyBase('none.duckdb');
    const before = sha(db);
    const r = await cli('ingest', join(folder(), 'repayments-no-amount.csv'), '--skip-unreadable', '--db', db);
    expect(r.code).toBe(1);
    expect(messages(r.stderr)[0]).toBe('error: repayments-no-amount.csv could not be read, so nothing was loaded: repayments-no-amount.csv has no column for amount_jpy.');
    expect(sha(db)).toBe(before);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('with --skip-unreadable and several files, none readable, lists each file and its reason on one line', async () => {
    const db = copyBase('none-of-two.duckdb');
    const before = sha(db);
    const r = await cli('ingest', join(folder(), 'enrollments-cut.xlsx'), join(folder(), 'repayments-no-amount.csv'), '--skip-unreadable', '--db', db);
    expect(r.code).toBe(1);
    const [sentence, ...lines] = messages(r.stderr);
    expect(sentence).toBe('error: None of the 2 files could be read, so nothing was loaded:');
    expect(lines).toContain('repayments-no-amount.csv: repayments-no-amount.csv has no column for amount_jpy.');
    expect(lines.filter((l) => /^enrollments-cut\.xlsx: [^\n]+\.$/.test(l))).toHaveLength(1);
    expect(sha(db)).toBe(before);
  });

  it('a first run that stops leaves its quarantine (rows of the run, raw values) readable only by the owner', async () => {
    const db = join(dir.path, 'first-run.duckdb');
    const r = await cli('ingest', folder(), '--db', db);
    expect(r.code).toBe(1);
    expect(existsSync(db)).toBe(false);
    expect(statSync(warehousePaths(db).quarantine).mode & 0o777).toBe(0o600);
  });
});
