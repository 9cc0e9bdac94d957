// End to end through the real `impact` CLI and real DuckDB files: clean and dirty loads, re-runs,
// re-deliveries, a killed load, a reader during a load, and what must never reach the warehouse.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoManifest } from '../pipelines/demo/generate.ts';
import { participantId } from '../pipelines/privacy/key.ts';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';
import { readOnlyRows, runCli, spawnCli, staffRows, tempDir } from './helpers.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key') };
const cli = (...args: string[]) => runCli(args, env);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** A copy of a warehouse with its staff-only quarantine beside it. */
function copyWarehouse(from: string, to: string): void {
  copyFileSync(from, to);
  copyFileSync(warehousePaths(from).quarantine, warehousePaths(to).quarantine);
}

/** Parses a small CSV written by the demo generator (no quoted commas in the columns read here). */
function csvRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

const FAULT_REASONS: Record<string, RegExp> = {
  bad_date: /not a valid (date|month)/,
  unknown_participant: /unknown participant_ref/,
  duplicate: /duplicate of row \d+/,
  bad_enum: /not one of/,
  bad_municipality_check_digit: /check digit/,
  missing_required: /required value is missing/,
  negative_amount: /must be at least 0/,
  bad_number: /not a whole (yen amount|number)/,
};

let clean: { dir: string; db: string; manifest: DemoManifest };
let dirty: { dir: string; db: string; manifest: DemoManifest };

beforeAll(async () => {
  for (const [name, flags] of [['clean', []], ['dirty', ['--dirty']]] as const) {
    const out = join(dir.path, name);
    const r = await cli('demo', '--participants', '300', '--seed', '7', '--out', out, ...flags);
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as DemoManifest;
    const value = { dir: out, db: join(dir.path, `${name}.duckdb`), manifest };
    if (name === 'clean') clean = value;
    else dirty = value;
  }
});
afterAll(() => dir.cleanup());

describe('a clean load', () => {
  it('loads every row of every file and rejects none', async () => {
    const r = await cli('ingest', clean.dir, '--db', clean.db);
    expect(r.code, r.stderr).toBe(0);
    const loads = await staffRows<{ file_name: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
      clean.db,
      'SELECT file_name, rows_read::INTEGER AS rows_read, rows_loaded::INTEGER AS rows_loaded, rows_rejected::INTEGER AS rows_rejected FROM loads ORDER BY file_name',
    );
    expect(loads.map((l) => l.file_name).sort()).toEqual(clean.manifest.files.map((f) => f.file).sort());
    for (const load of loads) {
      const expected = clean.manifest.files.find((f) => f.file === load.file_name)!.rows;
      expect(load, load.file_name).toMatchObject({ rows_read: expected, rows_loaded: expected, rows_rejected: 0 });
    }
  });

  it('builds the models as of the demo date, reproducibly', async () => {
    const first = await cli('build', '--db', clean.db, '--as-of', clean.manifest.asOf);
    expect(first.code, first.stderr).toBe(0);
    // Every derived table, row by row in a fixed order: the same inputs and as-of date must give the same contents.
    const digest = async () => {
      const tables = await readOnlyRows<{ s: string; t: string }>(
        clean.db,
        "SELECT schema_name AS s, table_name AS t FROM duckdb_tables() WHERE schema_name IN ('staging', 'core', 'marts', 'ref') ORDER BY 1, 2",
      );
      expect(tables.length).toBeGreaterThan(15);
      const sums: Record<string, string> = {};
      for (const { s, t } of tables) {
        const [row] = await readOnlyRows<{ d: string }>(clean.db, `SELECT md5(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR)) AS d FROM "${s}"."${t}" x`);
        sums[`${s}.${t}`] = row!.d;
      }
      return sums;
    };
    const before = await digest();
    const second = await cli('build', '--db', clean.db, '--as-of', clean.manifest.asOf);
    expect(second.code, second.stderr).toBe(0);
    expect(await digest()).toEqual(before);
    const [summary] = await readOnlyRows<{ enrolled: number; people: number }>(
      clean.db,
      'SELECT sum(enrolled)::INTEGER AS enrolled, (SELECT count(*)::INTEGER FROM core.participants WHERE cohort_id IS NOT NULL) AS people FROM marts.cohort_summary',
    );
    expect(summary!.enrolled).toBe(summary!.people);
    expect(summary!.enrolled).toBeGreaterThan(200);
  });

  it('documents every warehouse table and column with a comment', async () => {
    const undocumented = await readOnlyRows(
      clean.db,
      `SELECT schema_name, table_name, column_name FROM duckdb_columns()
       WHERE schema_name IN ('raw', 'staging', 'core', 'marts', 'meta', 'ref') AND (comment IS NULL OR comment = '')`,
    );
    expect(undocumented).toEqual([]);
  });

  it('changes nothing when the same files are loaded again', async () => {
    const before = sha(clean.db);
    const r = await cli('ingest', clean.dir, '--db', clean.db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already loaded/);
    const [{ n }] = (await readOnlyRows<{ n: number }>(clean.db, 'SELECT count(*)::INTEGER AS n FROM meta.loads')) as [{ n: number }];
    expect(n).toBe(clean.manifest.files.length);
    // Contents are unchanged (the file itself is rewritten by the swap, so compare tables).
    expect(before).toBeTypeOf('string');
    const counts = await readOnlyRows(clean.db, 'SELECT (SELECT count(*) FROM raw.income)::INTEGER AS income, (SELECT count(*) FROM raw.participants)::INTEGER AS participants');
    expect(counts[0]).toEqual({
      income: clean.manifest.files.find((f) => f.file === 'income.csv')!.rows,
      participants: clean.manifest.files.find((f) => f.file === 'participants.csv')!.rows,
    });
  });

  it('lets a corrected re-delivery replace rows by natural key', async () => {
    const rows = readFileSync(join(clean.dir, 'cohorts.csv'), 'utf8').trimEnd().split('\n');
    const header = rows[0]!.split(',');
    const providerAt = header.indexOf('provider');
    const corrected = [rows[0], ...rows.slice(1, 3).map((l) => l.split(',').map((v, i) => (i === providerAt ? 'corrected_provider' : v)).join(','))];
    const file = join(dir.path, 'cohorts-correction.csv');
    writeFileSync(file, `${corrected.join('\n')}\n`);
    const before = await readOnlyRows<{ n: number }>(clean.db, 'SELECT count(*)::INTEGER AS n FROM raw.cohorts');
    const r = await cli('ingest', file, '--db', clean.db);
    expect(r.code, r.stderr).toBe(0);
    const [load] = await staffRows(clean.db, "SELECT rows_loaded::INTEGER AS loaded, rows_superseded::INTEGER AS superseded FROM loads WHERE file_name = 'cohorts-correction.csv'");
    expect(load).toEqual({ loaded: 2, superseded: 2 });
    expect(await readOnlyRows(clean.db, 'SELECT count(*)::INTEGER AS n FROM raw.cohorts')).toEqual(before);
    const changed = await readOnlyRows(clean.db, "SELECT count(*)::INTEGER AS n FROM raw.cohorts WHERE provider = 'corrected_provider'");
    expect(changed).toEqual([{ n: 2 }]);
  });
});

describe('a dirty load', () => {
  beforeAll(async () => {
    const r = await cli('ingest', dirty.dir, '--db', dirty.db);
    expect(r.code, r.stderr).toBe(0);
  });

  it('rejects exactly the planted faults, each at its file and row with a fitting reason', async () => {
    const rejects = await staffRows<{ file_name: string; row_number: number; column_name: string; reason: string }>(
      dirty.db,
      'SELECT file_name, row_number::INTEGER AS row_number, column_name, reason FROM rejects ORDER BY file_name, row_number',
    );
    const rejectedRows = new Set(rejects.map((r) => `${r.file_name}:${r.row_number}`));
    const faultRows = new Set(dirty.manifest.faults.map((f) => `${f.file}:${f.row}`));
    expect([...rejectedRows].sort()).toEqual([...faultRows].sort());
    for (const fault of dirty.manifest.faults) {
      const found = rejects.filter((r) => r.file_name === fault.file && r.row_number === fault.row);
      expect(found.map((r) => r.reason).join('; '), `${fault.file} row ${fault.row} (${fault.fault})`).toMatch(FAULT_REASONS[fault.fault]!);
    }
  });

  it('loads the good rows: loaded + rejected = read for every file', async () => {
    const loads = await staffRows<{ file_name: string; read: number; loaded: number; rejected: number }>(
      dirty.db,
      'SELECT file_name, rows_read::INTEGER AS read, rows_loaded::INTEGER AS loaded, rows_rejected::INTEGER AS rejected FROM loads',
    );
    for (const l of loads) expect(l.loaded + l.rejected, l.file_name).toBe(l.read);
    const faults = dirty.manifest.faults.length;
    expect(loads.reduce((n, l) => n + l.rejected, 0)).toBe(faults);
  });

  it('reads the Shift_JIS payroll export with Japanese headers, eras and full-width yen', async () => {
    const [load] = await staffRows<{ encoding: string; loaded: number }>(
      dirty.db,
      "SELECT encoding, rows_loaded::INTEGER AS loaded FROM loads WHERE file_name = 'income-2026-10-payroll.csv'",
    );
    expect(load!.encoding).toMatch(/shift_jis/i);
    expect(load!.loaded).toBeGreaterThan(0);
    const [october] = await staffRows<{ n: number }>(dirty.db, "SELECT count(*)::INTEGER AS n FROM raw.income WHERE period = DATE '2026-10-01' AND load_id = (SELECT load_id FROM loads WHERE file_name = 'income-2026-10-payroll.csv')");
    expect(october!.n).toBe(load!.loaded);
  });

  it('keeps the raw values of rejected rows in the quarantine, not in the warehouse', async () => {
    const r = await cli('rejects', '--db', dirty.db, '--out', join(dir.path, 'rejects.csv'));
    expect(r.code, r.stderr).toBe(0);
    const exported = readFileSync(join(dir.path, 'rejects.csv'), 'utf8');
    expect(exported.split('\n')[0]).toBe('\uFEFFload_id,file_name,row_number,column_name,raw_value,problem,reason'); // UTF-8 with a BOM, for Excel
    const unknown = dirty.manifest.faults.find((f) => f.fault === 'unknown_participant')!;
    const line = exported.split('\n').find((l) => l.includes(`,${unknown.row},participant_ref,`))!;
    const rawRef = line.split(',')[4]!;
    expect(rawRef).toMatch(/\S/);
    const columns = await readOnlyRows(dirty.db, "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'meta' AND table_name = 'rejects'");
    expect(columns.map((c) => c.column_name)).not.toContain('raw_value');
  });

  it('shows loads and rejects by reason in `impact status`', async () => {
    const r = await cli('status', '--db', dirty.db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Rejects by column and problem/);
    expect(r.stdout).toMatch(/unknown participant_ref/);
  });
});

describe('privacy', () => {
  it('stores participant_id = HMAC of the ref under the key, and no raw ref or direct identifier anywhere', async () => {
    const key = Buffer.from(readFileSync(env.IMPACT_KEY_FILE, 'utf8').trim(), 'hex');
    const people = csvRows(join(clean.dir, 'participants.csv'));
    const ids = await readOnlyRows<{ participant_id: string }>(clean.db, 'SELECT participant_id FROM raw.participants');
    const expected = new Set(people.map((p) => participantId(key, p.participant_ref!)));
    expect(new Set(ids.map((r) => r.participant_id))).toEqual(expected);

    // Every string value in every table of the warehouse, checked against refs, names, emails and phones.
    const secrets = people.flatMap((p) => [p.participant_ref!, p.name!, p.email!, p.phone!]).filter((s) => s && s.length >= 5);
    const columns = await readOnlyRows<{ s: string; t: string; c: string }>(
      clean.db,
      "SELECT schema_name AS s, table_name AS t, column_name AS c FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND NOT internal",
    );
    const values = new Set<string>();
    for (const { s, t, c } of columns) {
      for (const row of await readOnlyRows<{ v: string }>(clean.db, `SELECT DISTINCT "${c}"::VARCHAR AS v FROM "${s}"."${t}" WHERE "${c}" IS NOT NULL`)) values.add(row.v);
    }
    const leaked = secrets.filter((s) => values.has(s) || [...values].some((v) => v.includes(s)));
    expect(leaked).toEqual([]);

    // And in the bytes of the file itself (uncompressed stretches).
    const bytes = readFileSync(clean.db);
    const inBytes = secrets.slice(0, 200).filter((s) => bytes.includes(Buffer.from(s)));
    expect(inBytes).toEqual([]);
  });

  it('keeps file names out of the warehouse, where a name could name a person, and shows them to staff', async () => {
    const db = join(dir.path, 'names.duckdb');
    copyWarehouse(clean.db, db);
    const file = join(dir.path, 'cohorts-Javed Ahmadi.csv');
    writeFileSync(file, 'cohort_id,track,provider,start_date,end_date\nJA-1,web_development,p,2026-01-05,2026-04-30\n');
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const nameColumns = await readOnlyRows(db, "SELECT table_name, column_name FROM duckdb_columns() WHERE column_name = 'file_name' AND NOT internal");
    expect(nameColumns).toEqual([]);
    const strings = await readOnlyRows<{ s: string; t: string; c: string }>(
      db,
      "SELECT schema_name AS s, table_name AS t, column_name AS c FROM duckdb_columns() WHERE data_type = 'VARCHAR' AND NOT internal",
    );
    for (const { s, t, c } of strings) {
      expect(await readOnlyRows(db, `SELECT 1 FROM "${s}"."${t}" WHERE "${c}" ILIKE '%Javed%' LIMIT 1`), `${s}.${t}.${c}`).toEqual([]);
    }
    expect(readFileSync(db).includes(Buffer.from('Javed'))).toBe(false);
    const status = await cli('status', '--db', db);
    expect(status.stdout).toContain('cohorts-Javed Ahmadi.csv');
  });

  it('refuses to load with a different key', async () => {
    const r = await runCli(['ingest', join(clean.dir, 'cohorts.csv'), '--db', clean.db], { IMPACT_KEY: 'cd'.repeat(32) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not the one this warehouse was built with/);
  });
});

describe('failures leave the warehouse as it was', () => {
  it('a file that cannot be loaded stops the run and changes nothing', async () => {
    const db = join(dir.path, 'failed.duckdb');
    copyWarehouse(clean.db, db);
    const before = sha(db);
    const folder = join(dir.path, 'bad-delivery');
    const r0 = await runCli(['demo', '--participants', '50', '--seed', '99', '--out', folder], env);
    expect(r0.code, r0.stderr).toBe(0);
    writeFileSync(join(folder, 'repayments.csv'), 'payment_id,agreement_id,paid_on\nP1,A1,2026-01-01\n');
    const r = await cli('ingest', folder, '--db', db);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/repayments\.csv has no column for amount_jpy/);
    expect(r.stderr).toMatch(/nothing from this run was kept/);
    expect(sha(db)).toBe(before);
  });

  it('a load killed part-way leaves the previous state, and the next run completes', async () => {
    const big = join(dir.path, 'big');
    const g = await cli('demo', '--participants', '20000', '--seed', '3', '--out', big);
    expect(g.code, g.stderr).toBe(0);
    const db = join(dir.path, 'killed.duckdb');
    copyWarehouse(clean.db, db);
    const before = sha(db);
    const child = spawnCli(['ingest', big, '--db', db], env);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Kill once it has started loading files (it reports each file on stderr when not on a terminal).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/Loading [1-9]/.test(stderr) || child.exitCode !== null) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    expect(child.exitCode, 'the load finished before it could be killed').toBeNull();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(sha(db)).toBe(before);
    expect(readdirSync(dir.path).some((n) => n.startsWith('.killed.duckdb.next-'))).toBe(true);
    const r = await cli('ingest', big, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir.path).some((n) => n.startsWith('.killed.duckdb.next-'))).toBe(false);
    const [{ n }] = (await staffRows<{ n: number }>(db, "SELECT count(*)::INTEGER AS n FROM loads WHERE file_name = 'income.csv'")) as [{ n: number }];
    expect(n).toBe(2); // the clean demo's and the big one's: nothing half-written in between
  });

  it('a reader can query while a load runs, and sees the previous complete state', async () => {
    const db = join(dir.path, 'reader.duckdb');
    copyWarehouse(clean.db, db);
    const [{ n: before }] = (await readOnlyRows<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM raw.income')) as [{ n: number }];
    const child = spawnCli(['ingest', join(dir.path, 'big'), '--db', db], env);
    const seen: number[] = [];
    let done = false;
    child.on('close', () => (done = true));
    while (!done) {
      const [{ n }] = (await readOnlyRows<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM raw.income')) as [{ n: number }];
      seen.push(n);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(child.exitCode).toBe(0);
    expect(seen.length).toBeGreaterThan(3);
    const [{ n: after }] = (await readOnlyRows<{ n: number }>(db, 'SELECT count(*)::INTEGER AS n FROM raw.income')) as [{ n: number }];
    expect(after).toBeGreaterThan(before);
    // Every read saw either the whole old state or the whole new one.
    for (const n of seen) expect([before, after]).toContain(n);
  });
});

describe('deliveries over time', () => {
  const people = () => csvRows(join(clean.dir, 'participants.csv'));
  const participantsHeader = () => readFileSync(join(clean.dir, 'participants.csv'), 'utf8').split('\n')[0]!;
  const participantsRow = (ref: string) => readFileSync(join(clean.dir, 'participants.csv'), 'utf8').split('\n').find((l) => l.startsWith(`${ref},`))!;

  it('loads a corrected file after the original it corrects, whatever their names', async () => {
    const { mkdirSync, utimesSync } = await import('node:fs');
    const folder = join(dir.path, 'corrections');
    mkdirSync(folder);
    const ref = people()[0]!.participant_ref!;
    writeFileSync(join(folder, 'participants.csv'), `${participantsHeader()}\n${participantsRow(ref)}\n`);
    const original = join(folder, 'income-2026-04.csv');
    const corrected = join(folder, 'income-2026-04-corrected.csv'); // sorts before the original by name
    writeFileSync(original, `participant_ref,period,gross_income_jpy,source,verified\n${ref},2026-04,100,payslip,true\n`);
    writeFileSync(corrected, `participant_ref,period,gross_income_jpy,source,verified\n${ref},2026-04,200000,payslip,true\n`);
    utimesSync(original, new Date('2026-05-01'), new Date('2026-05-01'));
    utimesSync(corrected, new Date('2026-05-10'), new Date('2026-05-10'));
    const db = join(dir.path, 'corrections.duckdb');
    const r = await cli('ingest', folder, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/income-2026-04-corrected\.csv replaced 1 income rows/);
    expect(await readOnlyRows(db, 'SELECT gross_income_jpy::INTEGER AS yen FROM raw.income')).toEqual([{ yen: 200000 }]);
  });

  it('retries rows rejected for an unknown participant with --reload once the participant has arrived', async () => {
    const { mkdirSync } = await import('node:fs');
    const folder = join(dir.path, 'late-participant');
    mkdirSync(folder);
    const ref = people()[1]!.participant_ref!;
    writeFileSync(join(folder, 'income.csv'), `participant_ref,period,gross_income_jpy,source,verified\n${ref},2026-04,250000,payslip,true\n`);
    const db = join(dir.path, 'late.duckdb');
    expect((await cli('ingest', join(folder, 'income.csv'), '--db', db)).code).toBe(0);
    writeFileSync(join(folder, 'participants.csv'), `${participantsHeader()}\n${participantsRow(ref)}\n`);
    const again = await cli('ingest', folder, '--db', db);
    expect(again.stdout).toMatch(/income\.csv .*already loaded/);
    expect(await readOnlyRows(db, 'SELECT count(*)::INTEGER AS n FROM raw.income')).toEqual([{ n: 0 }]);
    const reload = await cli('ingest', join(folder, 'income.csv'), '--db', db, '--reload');
    expect(reload.code, reload.stderr).toBe(0);
    expect(await readOnlyRows(db, 'SELECT count(*)::INTEGER AS n FROM raw.income')).toEqual([{ n: 1 }]);
  });

  it('exports only rejects of loads the warehouse kept, from an owner-only quarantine', async () => {
    const { statSync, mkdirSync } = await import('node:fs');
    const db = join(dir.path, 'failed-run.duckdb');
    const folder = join(dir.path, 'failed-run');
    mkdirSync(folder);
    const ref = people()[2]!.participant_ref!;
    writeFileSync(join(folder, 'participants.csv'), `${participantsHeader()}\n${participantsRow(ref)}\n${participantsRow(ref)}\n`);
    expect((await cli('ingest', join(folder, 'participants.csv'), '--db', db)).code).toBe(0);
    expect(statSync(join(dir.path, 'failed-run.quarantine.duckdb')).mode & 0o777).toBe(0o600);
    // A second run whose second file cannot be loaded: its first file's rejects reach the quarantine, then the run fails.
    const second = join(dir.path, 'failed-run-2');
    mkdirSync(second);
    writeFileSync(join(second, 'cohorts.csv'), 'cohort_id,track,provider,start_date,end_date\nC1,t,p,2026-01-01,2026-03-31\nC1,t,p,2026-01-01,2026-03-31\n');
    writeFileSync(join(second, 'repayments.csv'), 'payment_id\nP1\n');
    expect((await cli('ingest', second, '--db', db)).code).toBe(1);
    const r = await cli('rejects', '--db', db, '--out', join(dir.path, 'failed-run-rejects.csv'));
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(dir.path, 'failed-run-rejects.csv'), 'utf8').trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['1,participants.csv,3,participant_ref']);
  });
});

describe('files as staff have them', () => {
  it('loads an Excel workbook with Japanese headers, era dates and yen text', async () => {
    const people = csvRows(join(clean.dir, 'participants.csv')).slice(0, 3);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('雇用');
    ws.addRow(['雇用ID', '参加者番号', '雇用主', '就労形態', 'IT職', '雇用契約', '開始日', '終了日', '週労働時間', '氏名']);
    ws.addRow(['XL-1', people[0]!.participant_ref, 'VENDOR-01', 'インパクトソーシング', 'はい', '正社員', '令和7年4月1日', null, 40, 'Secret Name']);
    ws.addRow(['XL-2', people[1]!.participant_ref, 'EMPLOYER-01', '直接雇用', '○', '契約社員', new Date(Date.UTC(2025, 5, 1)), 'R8.3.31', '３２', 'Secret Name']);
    ws.addRow(['XL-3', 'NOBODY-1', 'VENDOR-01', 'impact_sourcing', 'true', 'full_time', '2025-01-01', null, 40, 'Secret Name']);
    const file = join(dir.path, 'employment-2026-xl.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await cli('ingest', file, '--db', clean.db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/dropped direct identifiers 氏名/);
    const rows = await readOnlyRows(
      clean.db,
      "SELECT employment_id, employment_type, it_role, contract, started_on::VARCHAR AS started_on, ended_on::VARCHAR AS ended_on, weekly_hours FROM raw.employment WHERE employment_id LIKE 'XL-%' ORDER BY 1",
    );
    expect(rows).toEqual([
      { employment_id: 'XL-1', employment_type: 'impact_sourcing', it_role: true, contract: 'full_time', started_on: '2025-04-01', ended_on: null, weekly_hours: 40 },
      { employment_id: 'XL-2', employment_type: 'direct_hire', it_role: true, contract: 'fixed_term', started_on: '2025-06-01', ended_on: '2026-03-31', weekly_hours: 32 },
    ]);
    const rejects = await staffRows(clean.db, "SELECT row_number::INTEGER AS row, column_name, reason FROM rejects WHERE file_name = 'employment-2026-xl.xlsx'");
    expect(rejects).toEqual([{ row: 4, column_name: 'participant_ref', reason: 'unknown participant_ref: no participant with this participant_ref has been loaded' }]);
  });

  it('rejects a line with too many or too few fields and keeps the rest of the file', async () => {
    const people = csvRows(join(clean.dir, 'participants.csv')).slice(0, 2);
    const file = join(dir.path, 'sib_referrals-ragged.csv');
    const contract = csvRows(join(clean.dir, 'sib_contracts.csv'))[0]!.contract_id!;
    writeFileSync(file, `contract_id,participant_ref,referred_on\n${contract},${people[0]!.participant_ref},2026-01-05\n${contract},${people[1]!.participant_ref},2026-01-06,extra\n${contract}\n`);
    const r = await cli('ingest', file, '--db', clean.db);
    expect(r.code, r.stderr).toBe(0);
    const rejects = await staffRows(clean.db, "SELECT row_number::INTEGER AS row, column_name, problem, reason FROM rejects WHERE file_name = 'sib_referrals-ragged.csv' ORDER BY 1");
    expect(rejects).toEqual([
      { row: 3, column_name: '(whole line)', problem: 'unreadable', reason: 'line has 4 fields but the header has 3' },
      { row: 4, column_name: '(whole line)', problem: 'unreadable', reason: 'line has 1 fields but the header has 3' },
    ]);
    const [load] = await staffRows(clean.db, "SELECT rows_read::INTEGER AS read, rows_loaded::INTEGER AS loaded FROM loads WHERE file_name = 'sib_referrals-ragged.csv'");
    expect(load).toEqual({ read: 3, loaded: 1 });
  });

  it('reads a Shift_JIS CSV given with --encoding and a mapping file', async () => {
    const people = csvRows(join(clean.dir, 'participants.csv')).slice(0, 2);
    const folder = join(dir.path, 'payroll');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'impact.mapping.yaml'),
      'version: 1\nsources:\n  - match: "kyuyo-*.csv"\n    entity: income\n    columns: { 社員コード: participant_ref, 支給年月: period, 総支給額: gross_income_jpy }\n    defaults: { source: payslip, verified: true }\n',
    );
    const text = `社員コード,氏名,支給年月,総支給額\r\n${people[0]!.participant_ref},山田 花子,R8.9,"￥３１０，０００"\r\n${people[1]!.participant_ref},佐藤 太郎,2026年9月,298000円\r\n`;
    writeFileSync(join(folder, 'kyuyo-2026-09.csv'), iconv.encode(text, 'cp932'));
    const r = await cli('ingest', folder, '--db', clean.db, '--encoding', 'shift_jis');
    expect(r.code, r.stderr).toBe(0);
    const rows = await readOnlyRows(
      clean.db,
      "SELECT gross_income_jpy::INTEGER AS yen, source, verified FROM raw.income WHERE load_id = (SELECT max(load_id) FROM meta.loads) ORDER BY yen",
    );
    expect(rows).toEqual([
      { yen: 298000, source: 'payslip', verified: true },
      { yen: 310000, source: 'payslip', verified: true },
    ]);
    expect(existsSync(clean.db)).toBe(true);
  });
});
