// The CSV staff open in a spreadsheet (impact rejects --out): formula cells neutralised, encodings.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import iconv from 'iconv-lite';
import { neutraliseFormula, spreadsheetCsv, writeOwnerOnly } from '../pipelines/cli/spreadsheet-csv.ts';
import { terminalSafe } from '../pipelines/cli/output.ts';

describe('neutraliseFormula', () => {
  it.each(['=1+1', '+1', '-5', '@SUM(A1)', '\t=1', '\r=1', '＝1', '＋1', '－1', '＠A1'])('quotes %j, which a spreadsheet would run', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });
  it.each(['250000', 'WJ-000001', ' =1', '二十五万', "'=1", ''])('leaves %j as it is', (cell) => {
    expect(neutraliseFormula(cell)).toBe(cell);
  });
});

describe('spreadsheetCsv', () => {
  const rows = [{ load_id: 1, raw_value: '=A1', reason: 'not a whole yen amount (¥1,234,000)' }];
  it('writes numbers as numbers and quotes only text formulas', () => {
    expect(spreadsheetCsv(rows, 'utf-8', 'x.csv').toString('utf8')).toBe("load_id,raw_value,reason\n1,'=A1,\"not a whole yen amount (¥1,234,000)\"\n");
  });
  it('starts UTF-8 with a BOM by default, and writes the yen sign as CP932 does in Shift_JIS', () => {
    expect(spreadsheetCsv(rows, 'utf-8-bom', 'x.csv').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(iconv.decode(spreadsheetCsv(rows, 'shift_jis', 'x.csv'), 'cp932')).toContain('(\\1,234,000)');
  });
  it('refuses, naming the file, a value Shift_JIS cannot hold rather than writing "?"', () => {
    expect(() => spreadsheetCsv([{ raw_value: 'café' }], 'shift_jis', 'out/rejects.csv')).toThrow(/^out\/rejects\.csv was not written: some values hold characters Shift_JIS cannot represent; use --encoding utf-8-bom\.$/);
  });
});

describe('terminalSafe', () => {
  it('shows terminal controls as \\uXXXX and keeps tab, newline and text', () => {
    expect(terminalSafe('a\u001b[31mb\u0007c\rd\u009be\u202ef\tg\nh 日本')).toBe('a\\u001b[31mb\\u0007c\\u000dd\\u009be\\u202ef\tg\nh 日本');
  });
});

describe('writeOwnerOnly', () => {
  const dir = tempDir();
  afterAll(() => dir.cleanup());

  it('says, naming the file, that its folder does not exist (not the temporary file beside it)', () => {
    const file = join(dir.path, 'no-such-folder', 'rejects.csv');
    expect(() => writeOwnerOnly(file, Buffer.from('x'))).toThrow(new Error(`${file} was not written: the folder ${join(dir.path, 'no-such-folder')} does not exist.`));
  });

  it('refuses a folder in one sentence and leaves it as it was', () => {
    const folder = join(dir.path, 'a-folder');
    mkdirSync(folder);
    expect(() => writeOwnerOnly(folder, Buffer.from('x'))).toThrow(new Error(`${folder} was not written: it is a folder; give --out a file name, e.g. ${folder}/rejects.csv.`));
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a symbolic link at the path instead of writing through it to the file it names', () => {
    const other = join(dir.path, 'other.txt');
    writeFileSync(other, 'not yours');
    const link = join(dir.path, 'link.csv');
    symlinkSync(other, link);
    writeOwnerOnly(link, Buffer.from('rows'));
    expect(readFileSync(other, 'utf8')).toBe('not yours');
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(statSync(link).mode & 0o777).toBe(0o600);
    expect(existsSync(link)).toBe(true);
  });
});
