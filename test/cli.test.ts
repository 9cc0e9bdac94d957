// The CLI's promises to people: every command has --help, and a mistake gets one clear sentence
// and a non-zero exit code, not a stack trace.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.ts';

const dir = tempDir();
const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
const db = join(dir.path, 'w.duckdb');
afterAll(() => dir.cleanup());

beforeAll(async () => {
  const demo = await runCli(['demo', '--participants', '40', '--out', join(dir.path, 'in')], env);
  expect(demo.code, demo.stderr).toBe(0);
  const load = await runCli(['ingest', join(dir.path, 'in'), '--db', db], env);
  expect(load.code, load.stderr).toBe(0);
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
