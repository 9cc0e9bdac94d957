// The CLI's promises to people: every command has --help, and a mistake gets one clear sentence
// and a non-zero exit code, not a stack trace.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOnlyRows, ROOT, runCli, tempDir } from './helpers.ts';
import { writeMunicipalReports } from '../reports/generate.ts';
import { parsePeriod } from '../reports/period.ts';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
const db = join(dir.path, 'w.duckdb');
afterAll(() => dir.cleanup());

beforeAll(async () => {
  const demo = await runCli(['demo', '--participants', '40', '--out', join(dir.path, 'in')], env);
  expect(demo.code, demo.stderr).toBe(0);
  const load = await runCli(['ingest', join(dir.path, 'in'), '--db', db], env);
  expect(load.code, load.stderr).toBe(0);
  const build = await runCli(['build', '--db', db, '--as-of', '2026-10-31'], env);
  expect(build.code, build.stderr).toBe(0);
});

describe('impact', () => {
  it.each(['demo', 'ingest', 'build', 'status', 'query', 'rejects', 'export', 'report', 'docs', 'dashboard', 'start'])('%s --help explains the command', async (command) => {
    const r = await runCli([command, '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: impact ${command}`));
  });

  it.each([
    [['build', '--db', db, '--as-of', '2026-02-30'], /^error: --as-of must be a date written YYYY-MM-DD, not "2026-02-30"\.$/m],
    [['ingest', join(dir.path, 'nowhere'), '--db', db], /^error: .*nowhere does not exist\.$/m],
    [['ingest', join(dir.path, 'in'), '--db', db, '--entity', 'salaries'], /^error: --entity must be one of participants, .*, not "salaries"\.$/m],
    [['query', 'DELETE FROM raw.income', '--db', db], /^error: impact query only reads/m],
    [['query', 'SELECT 1', '--db', db, '--format', 'xml'], /^error: --format must be table, csv or json/m],
    [['status', '--db', join(dir.path, 'none.duckdb')], /^error: There is no warehouse at .*none\.duckdb/m],
    [['demo', '--participants', 'many', '--out', join(dir.path, 'x')], /^error: --participants must be a whole number/m],
  ])('%j fails with one clear sentence', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
  });

  it('answers a query as CSV and JSON', async () => {
    const csv = await runCli(['query', 'SELECT entity, rows_loaded FROM meta.loads ORDER BY load_id LIMIT 2', '--db', db, '--format', 'csv'], env);
    expect(csv.stdout.trim().split('\n')).toEqual(['entity,rows_loaded', 'participants,40', expect.stringMatching(/^cohorts,\d+$/)]);
    const json = await runCli(['query', "SELECT 'ok' AS x", '--db', db, '--format', 'json'], env);
    expect(JSON.parse(json.stdout)).toEqual([{ x: 'ok' }]);
  });
});

describe('data/samples', () => {
  it('the payroll example and its mapping load as the README says', async () => {
    const r = await runCli(['ingest', join(ROOT, 'data', 'samples'), '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Using the column mapping in .*impact\.mapping\.yaml/);
    expect(r.stderr).toMatch(/dropped direct identifiers 氏名/);
    const rows = await runCli(['query', "SELECT gross_income_jpy, source, verified FROM raw.income WHERE period = DATE '2026-09-01' AND load_id = (SELECT max(load_id) FROM meta.loads) ORDER BY 1", '--db', db, '--format', 'csv'], env);
    expect(rows.stdout.trim().split('\n')).toEqual(['gross_income_jpy,source,verified', '275000,payslip,true', '298000,payslip,true', '310000,payslip,true']);
  });
});

describe('impact query sees the warehouse and nothing else', () => {
  const key = env.IMPACT_KEY_FILE;
  const sealed = /^error: impact query reads the warehouse and nothing else: it cannot read or write files, attach databases, load extensions or reach the network\.$/m;
  it.each([
    ['the key file through read_csv', `SELECT * FROM read_csv('${key}', header = false)`, sealed],
    ['the key file through read_text', `SELECT content FROM read_text('${key}')`, sealed],
    ['a system file through read_text', "SELECT content FROM read_text('/etc/passwd')", sealed],
    ['a folder through glob', `SELECT * FROM glob('${dir.path}/*')`, sealed],
    ['the quarantine through ATTACH', `ATTACH '${warehousePaths(db).quarantine}' AS q`, sealed],
    ['an extension through INSTALL', 'INSTALL httpfs', sealed],
    ['a setting through SET', 'SET enable_external_access = true', /^error: impact query cannot change settings: it runs with the warehouse read-only and sealed\.$/m],
    ['a setting through RESET', 'RESET lock_configuration', /^error: impact query cannot change settings/m],
    ['two statements', 'SELECT 1; SELECT 2', /^error: impact query runs one statement at a time, and was given 2\.$/m],
  ])('refuses %s with one sentence', async (_what, sql, message) => {
    const r = await runCli(['query', sql, '--db', db], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('writes no file: COPY … TO and EXPORT DATABASE are refused', async () => {
    const csv = join(dir.path, 'leak.csv');
    const folder = join(dir.path, 'leak');
    for (const sql of [`COPY (SELECT * FROM marts.cohort_summary) TO '${csv}'`, `EXPORT DATABASE '${folder}'`]) {
      const r = await runCli(['query', sql, '--db', db], env);
      expect(r.code, sql).toBe(1);
      expect(r.stderr).toMatch(sealed);
    }
    expect(existsSync(csv)).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });

  it("writes no file into DuckDB's temporary folder beside the warehouse either (which DuckDB otherwise allows)", async () => {
    const spill = `${db}.tmp`;
    mkdirSync(spill, { recursive: true }); // as a query that spilled leaves it
    const r = await runCli(['query', `COPY (SELECT * FROM marts.cohort_summary) TO '${join(spill, 'leak.csv')}'`, '--db', db], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(sealed);
    expect(existsSync(join(spill, 'leak.csv'))).toBe(false);
  });

  it('a semicolon inside a string is not a second statement, and a SELECT on the marts works', async () => {
    const r = await runCli(['query', "SELECT count(*) AS cohorts, 'a;b' AS s FROM marts.cohort_summary", '--db', db, '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as Array<{ cohorts: string; s: string }>;
    expect(Number(row!.cohorts)).toBeGreaterThan(0);
    expect(row!.s).toBe('a;b');
  });

  it('every read-only connection is sealed the same way (reports, dashboard loaders, exports open through it)', async () => {
    await expect(readOnlyRows(db, `SELECT content FROM read_text('${key}')`)).rejects.toThrow(/file system operations are disabled/);
    await expect(readOnlyRows(db, 'SET lock_configuration = false')).rejects.toThrow(/configuration has been locked/);
    expect(Number((await readOnlyRows<{ n: string }>(db, 'SELECT count(*) AS n FROM meta.loads'))[0]!.n)).toBeGreaterThan(0);
  });
});

describe('only ingest creates a warehouse', () => {
  const typo = join(dir.path, 'typo');
  const missing = join(typo, 'w.duckdb');
  it.each([
    [['build', '--db', missing]],
    [['status', '--db', missing]],
    [['query', 'SELECT 1', '--db', missing]],
    [['rejects', '--db', missing]],
    [['export', 'research', '--recipient', 'University of X', '--db', missing, '--out', join(typo, 'extract.duckdb')]],
    [['export', 'parquet', '--db', missing, '--out', join(typo, 'parquet')]],
    [['report', 'municipality', '--all', '--period', '2026Q3', '--db', missing, '--out', join(typo, 'reports')]],
    [['report', 'funder', '--period', '2026Q3', '--db', missing, '--out', join(typo, 'funder.pdf')]],
    [['report', 'snapshot', '--db', missing]],
    [['dashboard', 'build', '--db', missing, '--out', join(typo, 'dist')]],
  ])('%j refuses a missing warehouse in one sentence naming it, and creates nothing', async (args) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: There is no warehouse at ${missing}: run \`impact ingest\` and \`impact build\` (or \`npm start\` for the demo) first.\n`);
    expect(existsSync(typo)).toBe(false);
  });
});

describe('a --db that is not a warehouse', () => {
  const folder = join(dir.path, 'a-folder');
  const csv = join(dir.path, 'participants.csv');
  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(csv, 'participant_ref,name\nP1,Aiko\n');
  });

  it.each([
    [['status', '--db', folder]],
    [['query', 'SELECT 1', '--db', folder]],
    [['build', '--db', folder]],
    [['ingest', join(dir.path, 'in'), '--db', folder]],
  ])('%j: a folder gets one sentence naming it', async (args) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${folder} is a folder, not a warehouse file: give --db the warehouse's .duckdb file.\n`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it.each([
    [['status', '--db', csv]],
    [['query', 'SELECT 1', '--db', csv]],
    [['build', '--db', csv]],
    [['ingest', join(dir.path, 'in'), '--db', csv]],
    [['report', 'snapshot', '--db', csv]],
  ])('%j: a file that is not DuckDB (a CSV) gets one sentence naming it, and is left as it was', async (args) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${csv} is not a DuckDB database, so it is not a warehouse (nothing was changed): check --db.\n`);
    expect(readFileSync(csv, 'utf8')).toBe('participant_ref,name\nP1,Aiko\n');
  });

  it('impact query refuses the quarantine (raw references) given as --db', async () => {
    const { quarantine } = warehousePaths(db);
    expect(existsSync(quarantine)).toBe(true);
    const r = await runCli(['query', 'SELECT raw_value FROM rejects', '--db', quarantine], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*quarantine\.duckdb is not a warehouse .*check --db\.$/m);
    expect(r.stdout).toBe('');
  });
});

describe('impact build says which as-of date it used', () => {
  const dataEnd = async () => (await readOnlyRows<{ end: string }>(db, "SELECT strftime(last_day(max(period)), '%Y-%m-%d') AS \"end\" FROM raw.income"))[0]!.end;

  it('warns, without failing, when the as-of is more than a month past the latest income, and suggests the end of that month', async () => {
    const end = await dataEnd();
    const late = await runCli(['build', '--db', db, '--as-of', '2027-06-30'], env);
    expect(late.code, late.stderr).toBe(0);
    expect(late.stderr).toMatch(/^Building as of 2027-06-30\.$/m);
    expect(late.stderr).toMatch(/^Built \d+ models as of 2027-06-30/m);
    const warnings = late.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([expect.stringContaining(`run \`impact build --as-of ${end}\`.`)]);
    const fine = await runCli(['build', '--db', db, '--as-of', end], env);
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stderr).toMatch(new RegExp(`^Building as of ${end}\\.$`, 'm'));
    expect(fine.stderr).not.toMatch(/warning:/);
  });

  it('a command that needs a fresh build names the as-of date to build with', async () => {
    const stale = join(dir.path, 'stale.duckdb');
    copyFileSync(db, stale);
    copyFileSync(join(dir.path, 'w.quarantine.duckdb'), join(dir.path, 'stale.quarantine.duckdb'));
    const load = await runCli(['ingest', join(ROOT, 'data', 'samples'), '--db', stale, '--reload'], env);
    expect(load.code, load.stderr).toBe(0);
    const r = await runCli(['report', 'snapshot', '--db', stale], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: Files were loaded after the latest build, so the marts do not show them: run \`impact build --as-of ${await dataEnd()}\``, 'm'));
  });
});

describe('impact dashboard preview', () => {
  it.each(['abc', '0', '65536', '3000.5', '-1'])('refuses --port %s in one sentence', async (port) => {
    const r = await runCli(['dashboard', 'preview', '--no-build', '--out', dir.path, '--port', port], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --port must be a whole number from 1 to 65535, not "${port}".\n`);
  });

  it('says in one sentence that a port is in use', async () => {
    const other = createServer();
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const { port } = other.address() as AddressInfo;
    try {
      const r = await runCli(['dashboard', 'preview', '--no-build', '--out', dir.path, '--port', String(port)], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^error: Port ${port} on 127\\.0\\.0\\.1 is in use by another program: stop it, or choose another port with --port\\.$`, 'm'));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
    } finally {
      await new Promise((done) => other.close(done));
    }
  });
});

describe('impact rejects writes a file staff can open safely', () => {
  const hostile = join(dir.path, 'hostile', 'income.csv');
  const esc = '\u001b]0;pwned\u0007\u001b[31mred';
  let load = '';
  beforeAll(async () => {
    const rows = [
      '"=HYPERLINK(""http://evil.example"",""x"")"',
      "+cmd|' /C calc'!A0",
      '@SUM(A1)',
      '＝1+1',
      `"${esc}"`,
      '二十五万',
    ].map((value, i) => `WJ-000001,2025-0${i + 1},${value},payslip,true`);
    mkdirSync(join(dir.path, 'hostile'));
    writeFileSync(hostile, `participant_ref,period,gross_income_jpy,source,verified\n${rows.join('\n')}\n`);
    const r = await runCli(['ingest', hostile, '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    load = String((await readOnlyRows<{ id: number }>(db, 'SELECT max(load_id) AS id FROM meta.loads'))[0]!.id);
  });

  it('neutralises formula cells, writes owner-only, UTF-8 with a BOM by default', async () => {
    const out = join(dir.path, 'rejects.csv');
    writeFileSync(out, 'an older export\n', { mode: 0o644 });
    const r = await runCli(['rejects', '--db', db, '--load', load, '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    for (const cell of [`"'=HYPERLINK(""http://evil.example"",""x"")"`, "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'＝1+1", '二十五万']) expect(text).toContain(cell);
    // No cell of the data rows starts a formula (the header row is ours).
    const cells = text.slice(1).split('\n').slice(1).flatMap((line) => line.split(','));
    expect(cells.filter((c) => /^"?[=+\-@＝＋－＠]/.test(c))).toEqual([]);
  });

  it('writes Shift_JIS on request, and refuses an unknown encoding in one sentence', async () => {
    const out = join(dir.path, 'rejects-sjis.csv');
    const r = await runCli(['rejects', '--db', db, '--load', load, '--out', out, '--encoding', 'shift_jis'], env);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes[0]).not.toBe(0xef);
    expect(iconv.decode(bytes, 'cp932')).toContain('二十五万');
    expect(iconv.decode(bytes, 'cp932')).toContain('\\1,234,000'); // the yen sign of the reasons, as CP932 writes it
    const bad = await runCli(['rejects', '--db', db, '--out', out, '--encoding', 'latin1'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: --encoding must be utf-8-bom, utf-8, shift_jis, not "latin1".\n');
  });

  it('never echoes control characters from data to the terminal', async () => {
    const table = await runCli(['rejects', '--db', db, '--load', load], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('\\u001b]0;pwned\\u0007\\u001b[31mred');
    expect(table.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const query = await runCli(['query', "SELECT chr(27) || '[2J' || chr(155) || 'x' AS v", '--db', db], env);
    expect(query.stdout).toContain('\\u001b[2J\\u009bx');
    expect(query.stdout).not.toMatch(/[\u001b\u009b]/);
  });
});

describe('municipal report file names', () => {
  const ids = ['新宿区SIB-2023', '江戸川SIB-2023', 'SIB/2023:東京'];
  beforeAll(async () => {
    const extra = join(dir.path, 'contracts');
    mkdirSync(extra);
    writeFileSync(join(extra, 'sib_contracts-kanji.csv'), `contract_id,municipality_code,name,start_date,end_date,payment_cap_jpy\n${ids.map((id) => `${id},131041,契約 ${id},2023-04-01,2027-03-31,10000000`).join('\n')}\n`);
    writeFileSync(join(extra, 'sib_outcomes-kanji.csv'), `contract_id,outcome_code,kind,parameter,price_jpy,max_count\n${ids.map((id) => `${id},JOB_START,job_start,180,200000,`).join('\n')}\n`);
    const load = await runCli(['ingest', extra, '--db', db], env);
    expect(load.code, load.stderr).toBe(0);
    const built = await runCli(['build', '--db', db, '--as-of', '2026-10-31'], env);
    expect(built.code, built.stderr).toBe(0);
  });

  it('--all writes one file per contract, keeping Unicode and adding a short hash where a character was replaced', async () => {
    const out = join(dir.path, 'reports');
    const r = await runCli(['report', 'municipality', '--all', '--period', '2026Q3', '--db', db, '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    const contracts = await readOnlyRows<{ contract_id: string }>(db, 'SELECT contract_id FROM raw.sib_contracts');
    const files = readdirSync(out).filter((f) => f.endsWith('.pdf'));
    expect(files).toHaveLength(contracts.length);
    expect(files).toEqual(expect.arrayContaining(['新宿区SIB-2023_2026Q3_ja.pdf', '江戸川SIB-2023_2026Q3_ja.pdf', expect.stringMatching(/^SIB_2023_東京-[0-9a-f]{8}_2026Q3_ja\.pdf$/)]));
  });

  it('refuses, before writing anything, a run that would write two reports to one file', async () => {
    const out = join(dir.path, 'one-file');
    const run = writeMunicipalReports({ db, period: parsePeriod('2026Q3'), lang: 'ja', issuedOn: '2026-11-01' }, null, () => join(out, 'report.pdf'));
    await expect(run).rejects.toThrow(/^The reports of contracts .+ and .+ would both be written to .*report\.pdf; nothing was written \(give each its own --out\)\.$/);
    expect(existsSync(out)).toBe(false);
  });
});
