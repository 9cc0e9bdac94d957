// Files as Japanese offices send them, through the real `impact` CLI and real DuckDB files: Shift_JIS yen signs,
// Unicode spaces around references, and the scratch copies a Shift_JIS file needs, which must not outlive their run.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantId } from '../pipelines/privacy/key.ts';
import { runCli, spawnCli, staffRows, tempDir } from './helpers.ts';

const dir = tempDir();
const scratch = join(dir.path, 'tmp'); // the runs' TMPDIR, so their scratch folders can be watched
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key'), TMPDIR: scratch };
const cli = (...args: string[]) => runCli(args, env);
const db = join(dir.path, 'warehouse.duckdb');
const PARTICIPANTS = 'participant_ref,birth_year,gender,country_of_origin,residence_status,municipality_code,consent_research';

function write(name: string, content: string | Buffer): string {
  const path = join(dir.path, name);
  writeFileSync(path, content);
  return path;
}

const scratchDirs = () => readdirSync(scratch).filter((n) => n.startsWith('impact-ingest-'));

beforeAll(async () => {
  mkdirSync(scratch);
  const people = ['WJ-1', 'WJ-2', 'WJ-3'].map((ref) => `${ref},1990,female,MMR,refugee,131041,true`);
  const r = await cli('ingest', write('participants.csv', `${PARTICIPANTS}\n${people.join('\n')}\n`), '--db', db);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

async function incomeOf(file: string) {
  const rows = await staffRows<{ participant_id: string; yen: number }>(
    db,
    `SELECT participant_id::VARCHAR AS participant_id, gross_income_jpy::INTEGER AS yen FROM raw.income JOIN loads USING (load_id) WHERE file_name = '${file}' ORDER BY source_row`,
  );
  const rejects = await staffRows(db, `SELECT row_number::INTEGER AS row, column_name, reason FROM rejects WHERE file_name = '${file}' ORDER BY 1`);
  return { rows, rejects };
}

describe('yen amounts in Shift_JIS', () => {
  it('reads a backslash in a yen column of a Shift_JIS file as the yen sign (CP932 byte 0x5C)', async () => {
    const text = '参加者番号,対象月,月収,出典,確認済\r\nWJ-1,令和8年4月,"\\250,000",給与明細,はい\r\nWJ-2,令和8年4月,"\\1,234,000",給与明細,はい\r\nWJ-3,令和8年4月,\\25万,給与明細,はい\r\n';
    const file = write('income-sjis-yen.csv', iconv.encode(text, 'cp932'));
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const { rows, rejects } = await incomeOf('income-sjis-yen.csv');
    expect(rejects).toEqual([]);
    expect(rows.map((row) => row.yen)).toEqual([250000, 1234000, 250000]);
  });

  it('reads it as the yen sign in a plain-ASCII file too (the English template saved by Japanese Excel), unless --encoding says UTF-8', async () => {
    // Every byte is ASCII, so the file is Shift_JIS as much as UTF-8: its \ is how CP932 stores ¥.
    const text = 'participant_ref,period,gross_income_jpy,source,verified\r\nWJ-1,2026-08,"\\250,000",payslip,true\r\nWJ-2,2026-08,\\260000,payslip,true\r\n';
    const file = write('income-ascii-yen.csv', text);
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const { rows, rejects } = await incomeOf('income-ascii-yen.csv');
    expect(rejects).toEqual([]);
    expect(rows.map((row) => row.yen)).toEqual([250000, 260000]);
    const said = write('income-ascii-utf8.csv', text.replace('2026-08', '2026-09'));
    const utf8 = await cli('ingest', said, '--db', db, '--encoding', 'utf-8');
    expect(utf8.code, utf8.stderr).toBe(0);
    expect((await incomeOf('income-ascii-utf8.csv')).rejects.map((reject) => reject.row)).toEqual([2, 3]);
  });

  it('still refuses a backslash before an amount in a UTF-8 file, where it is a backslash', async () => {
    // A UTF-8 writer has ¥ (U+00A5) for the yen sign, so "\250,000" there is no known spelling of an amount.
    const file = write('income-utf8-backslash.csv', 'participant_ref,period,gross_income_jpy,source,verified\nWJ-1,2026-05,"\\250,000",payslip,true\nWJ-2,2026-05,"¥250,000",payslip,true\n');
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const { rows, rejects } = await incomeOf('income-utf8-backslash.csv');
    expect(rows.map((row) => row.yen)).toEqual([250000]);
    expect(rejects).toEqual([{ row: 2, column_name: 'gross_income_jpy', reason: expect.stringMatching(/^not a whole yen amount/) }]);
  });
});

describe('references with Unicode spaces', () => {
  it('links a participant_ref wrapped in no-break, full-width and zero-width spaces to the same participant', async () => {
    const file = write('income-spaces.csv', 'participant_ref,period,gross_income_jpy,source,verified\n\u00a0WJ-1\u3000,2026-06,250000,payslip,true\n\u200bWJ-2\u202f,2026-06,260000,payslip,true\n');
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const { rows, rejects } = await incomeOf('income-spaces.csv');
    expect(rejects).toEqual([]);
    const key = Buffer.from(readFileSync(env.IMPACT_KEY_FILE, 'utf8').trim(), 'hex');
    expect(rows.map((row) => row.participant_id)).toEqual([participantId(key, 'WJ-1'), participantId(key, 'WJ-2')]);
  });

  it('links a participant_ref with an invisible joiner or a line separator pasted into it to the same participant', async () => {
    const file = write('income-joiners.csv', 'participant_ref,period,gross_income_jpy,source,verified\n\u200dWJ-1\u2060,2026-07,250000,payslip,true\nWJ-\u00ad2\u2028,2026-07,260000,payslip\u2060,true\n');
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const { rows, rejects } = await incomeOf('income-joiners.csv');
    expect(rejects).toEqual([]);
    const key = Buffer.from(readFileSync(env.IMPACT_KEY_FILE, 'utf8').trim(), 'hex');
    expect(rows.map((row) => row.participant_id)).toEqual([participantId(key, 'WJ-1'), participantId(key, 'WJ-2')]);
  });
});

describe('scratch copies of a Shift_JIS file', () => {
  // Large enough that the load is still running when the copy has been written.
  const bigFile = () => {
    const lines = Array.from({ length: 300_000 }, (_, i) => `P${String(i).padStart(7, '0')},1990,female,MMR,refugee,131041,true,山田 花子`);
    return write('participants-big.csv', iconv.encode(`${PARTICIPANTS},氏名\r\n${lines.join('\r\n')}\r\n`, 'cp932'));
  };

  /** Starts an ingest of `file` and resolves once its scratch copy exists, with the copy's and folder's modes. */
  async function startAndWaitForCopy(file: string) {
    const child = spawnCli(['ingest', file, '--db', join(dir.path, 'killed.duckdb')], env);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const modes = await new Promise<{ dir: number; file: number } | undefined>((resolve) => {
      const poll = setInterval(() => {
        for (const name of scratchDirs()) {
          const copies = readdirSync(join(scratch, name)).filter((n) => n.endsWith('.csv'));
          if (copies.length > 0) {
            clearInterval(poll);
            resolve({ dir: statSync(join(scratch, name)).mode & 0o777, file: statSync(join(scratch, name, copies[0]!)).mode & 0o777 });
            return;
          }
        }
        if (child.exitCode !== null) {
          clearInterval(poll);
          resolve(undefined);
        }
      }, 5);
    });
    expect(modes, `the ingest ended before its copy was seen: ${stderr}`).toBeDefined();
    expect(child.exitCode, 'the load finished before it could be stopped').toBeNull();
    return { child, modes: modes! };
  }

  it('keeps the copy owner-only, and the next ingest removes the copy of a run killed outright', async () => {
    const file = bigFile();
    const { child, modes } = await startAndWaitForCopy(file);
    expect(modes).toEqual({ dir: 0o700, file: 0o600 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(scratchDirs()).toHaveLength(1); // what the killed run left
    const r = await cli('ingest', write('cohorts.csv', 'cohort_id,track,provider,start_date,end_date\nC1,web,prov,2026-04-01,2026-09-30\n'), '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(scratchDirs()).toEqual([]);
  }, 120_000);

  it('removes the copy when the run is stopped with SIGTERM', async () => {
    const { child } = await startAndWaitForCopy(bigFile());
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(code).toBe(143); // the CLI's signal handler (pipelines/interrupt.ts) cleans up, then exits as a shell reports SIGTERM
    expect(scratchDirs()).toEqual([]);
  }, 120_000);
});
