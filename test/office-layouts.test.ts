// Files as offices send them, through the real `impact ingest` and real DuckDB files: a title above the header, two
// columns for one contract column, dates at the start of Excel's calendar, a workbook cut short, a hostile mapping file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnlyRows, runCli, staffRows, tempDir } from './helpers.ts';

const dir = tempDir('office-layouts-');
afterAll(() => dir.cleanup());
const env = { IMPACT_KEY_FILE: join(dir.path, 'key', 'impact.key') };
const cli = (...args: string[]) => runCli(args, env);
let dbs = 0;
const newDb = () => join(dir.path, `w${++dbs}.duckdb`);

/** A cohorts workbook: `above` rows first (a title, a blank row), then the header and two cohorts. */
async function cohortsWorkbook(name: string, above: ExcelJS.CellValue[][], header = ['コホートID', 'コース', '実施機関', '開始日', '終了日']): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  for (const row of above) sheet.addRow(row);
  sheet.addRow(header);
  sheet.addRow(['C1', 'web_development', 'NPO東京', new Date(Date.UTC(2026, 3, 1)), new Date(Date.UTC(2026, 8, 30))]);
  sheet.addRow(['C2', 'data', 'NPO東京', new Date(Date.UTC(2026, 9, 1)), new Date(Date.UTC(2027, 2, 31))]);
  for (const column of [4, 5]) sheet.getColumn(column).numFmt = 'yyyy/m/d';
  const file = join(dir.path, name);
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('a title above the header', () => {
  it('finds the header on row 3, says that rows 1–2 were skipped, and keeps the sheet\'s row numbers', async () => {
    const file = await cohortsWorkbook('cohorts-2026.xlsx', [['2026年度 コホート一覧'], []]);
    const db = newDb();
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('cohorts-2026.xlsx: header found on row 3; rows 1–2 skipped.');
    expect(await readOnlyRows(db, "SELECT cohort_id, start_date::VARCHAR AS start, source_row::INTEGER AS row FROM raw.cohorts ORDER BY cohort_id")).toEqual([
      { cohort_id: 'C1', start: '2026-04-01', row: 4 },
      { cohort_id: 'C2', start: '2026-10-01', row: 5 },
    ]);
  });

  it('finds it in a CSV too', async () => {
    const file = join(dir.path, 'cohorts-title.csv');
    writeFileSync(file, '2026年度 コホート一覧,,,,\r\ncohort_id,track,provider,start_date,end_date\r\nC1,web,NPO,2026-04-01,2026-09-30\r\nC2,web,NPO,2026-13-01,2026-09-30\r\n');
    const db = newDb();
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('cohorts-title.csv: header found on row 2; row 1 skipped.');
    expect(await staffRows(db, 'SELECT row_number::INTEGER AS row, column_name FROM rejects')).toEqual([{ row: 4, column_name: 'start_date' }]);
  });

  it('says which row it took when no row has the required columns, and how to set header_row', async () => {
    const file = await cohortsWorkbook('cohorts-odd.xlsx', [['2026年度 コホート一覧']], ['期番号', 'コース', '実施機関', '開始日', '終了日']);
    const r = await cli('ingest', file, '--db', newDb());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cohorts-odd.xlsx has no column for cohort_id, track, provider, start_date, end_date.');
    expect(r.stderr).toContain('Row 1 was taken as the header (no row among the first 20 has every required column); if the header is on another row, set header_row for this file in the mapping file.');
    // With header_row and a mapping for the odd header, it loads.
    const mapping = join(dir.path, 'odd.mapping.yaml');
    writeFileSync(mapping, 'version: 1\nsources:\n  - match: "cohorts-odd.xlsx"\n    header_row: 2\n    columns: { 期番号: cohort_id }\n');
    const db = newDb();
    const ok = await cli('ingest', file, '--db', db, '--mapping', mapping);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('cohorts-odd.xlsx: header taken from header_row on row 2; row 1 skipped.');
    expect(await readOnlyRows(db, 'SELECT count(*)::INTEGER AS n FROM raw.cohorts')).toEqual([{ n: 2 }]);
  });
});

describe('two columns for one contract column', () => {
  it('refuses the file in one sentence naming both headers, and loads it once a mapping names the one to use', async () => {
    const file = join(dir.path, 'cohorts-twice.csv');
    writeFileSync(file, 'cohort_id,track,provider,開始日,start_date,end_date\nC1,web,NPO,2026-04-01,2026-05-01,2026-09-30\n');
    const db = newDb();
    const r = await cli('ingest', file, '--db', db);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cohorts-twice.csv has 2 columns for start_date, "start_date" and "開始日": remove all but one, or name the one to use in a mapping file (columns: { 開始日: start_date }).');
    const mapping = join(dir.path, 'twice.mapping.yaml');
    writeFileSync(mapping, 'version: 1\nsources:\n  - match: "cohorts-twice.csv"\n    columns: { 開始日: start_date }\n');
    const ok = await cli('ingest', file, '--db', db, '--mapping', mapping);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('cohorts-twice.csv: ignored start_date: the mapping file feeds the same contract column from another header.');
    expect(await readOnlyRows(db, 'SELECT start_date::VARCHAR AS d FROM raw.cohorts')).toEqual([{ d: '2026-04-01' }]);
  });
});

describe('two columns for one contract column, both named in the mapping file', () => {
  it('refuses the file in one sentence naming both, instead of reading one and calling the other not in the contract', async () => {
    const file = join(dir.path, 'cohorts-both.csv');
    writeFileSync(file, 'cohort_id,track,provider,開始日,受講開始日,end_date\nC1,web,NPO,2026-04-01,2026-05-01,2026-09-30\n');
    const mapping = join(dir.path, 'both.mapping.yaml');
    writeFileSync(mapping, 'version: 1\nsources:\n  - match: "cohorts-*.csv"\n    columns: { 開始日: start_date, 受講開始日: start_date }\n');
    const r = await cli('ingest', file, '--db', newDb(), '--mapping', mapping);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cohorts-both.csv has 2 columns for start_date, "開始日" and "受講開始日": the mapping file maps each of them to it: remove all but one column from the file.');
  });
});

describe('dates at the start of Excel\'s calendar', () => {
  it('loads serials 59 and 61 as 1900-02-28 and 1900-03-01, and rejects 60 with its reason', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['cohort_id', 'track', 'provider', 'start_date', 'end_date']);
    for (const [id, serial] of [['C59', 59], ['C60', 60], ['C61', 61]] as const) sheet.addRow([id, 'web', 'NPO', serial, 45383]);
    for (const column of [4, 5]) sheet.getColumn(column).numFmt = 'yyyy/m/d';
    const file = join(dir.path, 'cohorts-1900.xlsx');
    await workbook.xlsx.writeFile(file);
    const db = newDb();
    const r = await cli('ingest', file, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(await readOnlyRows(db, 'SELECT cohort_id, start_date::VARCHAR AS s, end_date::VARCHAR AS e FROM raw.cohorts ORDER BY cohort_id')).toEqual([
      { cohort_id: 'C59', s: '1900-02-28', e: '2024-04-01' },
      { cohort_id: 'C61', s: '1900-03-01', e: '2024-04-01' },
    ]);
    expect(await staffRows(db, 'SELECT row_number::INTEGER AS row, column_name, problem, reason FROM rejects')).toEqual([
      { row: 3, column_name: 'start_date', problem: 'unreadable', reason: 'Excel date serial 60 is 1900-02-29, a day that did not exist (Excel counts 1900 as a leap year); enter the date again' },
    ]);
  });
});

describe('damaged and hostile files', () => {
  it('names a workbook cut to half its bytes in one sentence', async () => {
    const whole = await cohortsWorkbook('cohorts-whole.xlsx', []);
    const cut = join(dir.path, 'cohorts-cut.xlsx');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const r = await cli('ingest', cut, '--db', newDb());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Could not read cohorts-cut.xlsx: the workbook is damaged or incomplete (perhaps cut short while being copied or downloaded): open it in Excel and save it again, or ask for the file again');
    expect(r.stderr).not.toMatch(/FILE_ENDED|at .*\.js:\d+/);
  });

  it('refuses a mapping file with an alias bomb in one sentence naming it', async () => {
    const mapping = join(dir.path, 'bomb.mapping.yaml');
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
    writeFileSync(mapping, ['version: 1', ...levels, 'sources: [{ match: "*.csv", entity: cohorts }]', ''].join('\n'));
    const file = join(dir.path, 'cohorts-plain.csv');
    writeFileSync(file, 'cohort_id,track,provider,start_date,end_date\nC1,web,NPO,2026-04-01,2026-09-30\n');
    const r = await cli('ingest', file, '--db', newDb(), '--mapping', mapping);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('bomb.mapping.yaml: the mapping file expands its YAML aliases (*name) more than 20 times, as a file built to exhaust memory does; write the values out instead.');
    expect(r.stderr).not.toContain('Excessive alias count');
  });
});
