// The xlsx reader against workbooks stored as Excel stores them (each sheet before the shared strings), large ones,
// damaged ones, and date cells at the start of Excel's calendar. Real files in a temp folder, a real in-memory DuckDB.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../pipelines/db/connection.ts';
import { readSource, type ReadOptions } from '../pipelines/ingest/read/index.ts';
import { ExcelText } from '../pipelines/ingest/read/xlsx-text.ts';
import { ROOT, tempDir } from './helpers.ts';

const dir = tempDir('xlsx-reader-');
let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await openDatabase(':memory:');
});
afterAll(() => {
  instance.closeSync();
  dir.cleanup();
});

const options = (extra: Partial<ReadOptions> = {}): ReadOptions => ({ tempDir: dir.path, selectColumns: (h) => h.filter((x) => x !== ''), ...extra });

async function withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await instance.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** The order of the parts in a workbook Excel saved: each sheet comes before the shared strings it uses. */
const EXCEL_ORDER = [
  '[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/', 'xl/theme/',
  'xl/styles.xml', 'xl/sharedStrings.xml', 'docProps/',
];

/** Writes `workbook` with exceljs, then stores its parts again in Excel's order; returns the path and the order. */
async function writeInExcelOrder(workbook: ExcelJS.Workbook, name: string): Promise<{ file: string; parts: string[] }> {
  const written = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
  const rank = (part: string) => EXCEL_ORDER.findIndex((prefix) => part === prefix || (prefix.endsWith('/') && part.startsWith(prefix)));
  const parts = Object.keys(written.files).filter((p) => !written.files[p]!.dir).sort((a, b) => rank(a) - rank(b));
  expect(parts.every((p) => rank(p) >= 0), parts.join(', ')).toBe(true);
  const repacked = new JSZip();
  for (const part of parts) repacked.file(part, await written.file(part)!.async('nodebuffer'));
  const file = join(dir.path, name);
  writeFileSync(file, await repacked.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { file, parts };
}

/** The order of the parts as stored in the zip (its local headers), as any reader of the zip sees them. */
async function storedOrder(file: string): Promise<string[]> {
  return Object.keys((await JSZip.loadAsync(readFileSync(file))).files);
}

/** A sheet of people with Japanese text in every string column, so every string is a shared string. */
function peopleWorkbook(count: number): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('支給');
  sheet.addRow(['participant_ref', '氏名', '区分', '月収']);
  for (let i = 1; i <= count; i++) sheet.addRow([`P${i}`, `山田太郎${i}`, i % 2 ? '給与明細' : '源泉徴収票', 250_000 + i]);
  return workbook;
}

/** Rows of `_source` whose strings are not exactly what was written. */
const WRONG_STRINGS = `SELECT count(*)::INTEGER AS n FROM _source
  WHERE participant_ref IS DISTINCT FROM 'P' || (_row - 1) OR 氏名 IS DISTINCT FROM '山田太郎' || (_row - 1)
     OR 区分 IS DISTINCT FROM CASE WHEN (_row - 1) % 2 = 1 THEN '給与明細' ELSE '源泉徴収票' END`;

describe('workbooks in Excel\'s part order', () => {
  it('reads every string cell of a sheet stored before its shared strings, 20 times in a row', async () => {
    const { file } = await writeInExcelOrder(peopleWorkbook(200), 'excel-order.xlsx');
    const stored = await storedOrder(file);
    expect(stored.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(stored.indexOf('xl/sharedStrings.xml'));
    for (let run = 0; run < 20; run++) {
      await withConnection(async (conn) => {
        const info = await readSource(conn, file, options());
        expect(info).toMatchObject({ headers: ['participant_ref', '氏名', '区分', '月収'], rowsRead: 200 });
        expect(await rows(conn, WRONG_STRINGS)).toEqual([{ n: 0 }]);
      });
    }
  });

  it('reads them the same in a fresh process with TMPDIR set, as the CLI runs', () => {
    // exceljs's streaming reader parked such a sheet in a temporary file; with TMPDIR set it lost the strings every time.
    const script = `
      import { openDatabase } from './pipelines/db/connection.ts';
      import { readSource } from './pipelines/ingest/read/index.ts';
      const instance = await openDatabase(':memory:');
      const out = [];
      for (let run = 0; run < 20; run++) {
        const conn = await instance.connect();
        const info = await readSource(conn, process.env.FILE, { tempDir: process.env.TMPDIR, selectColumns: (h) => h });
        const [[wrong]] = (await conn.runAndReadAll(process.env.SQL)).getRows();
        out.push(info.headers.join('|') + ':' + info.rowsRead + ':' + wrong);
        conn.closeSync();
      }
      console.log(JSON.stringify(out));`;
    const file = join(dir.path, 'excel-order.xlsx');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: dir.path, FILE: file, SQL: WRONG_STRINGS },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(Array(20).fill('participant_ref|氏名|区分|月収:200:0'));
  }, 60_000);

  it('reads every Japanese string of a 20,000-row sheet intact (none garbled between two chunks)', async () => {
    // exceljs's streaming reader decoded each inflated chunk on its own: a character split between two was lost.
    const { file } = await writeInExcelOrder(peopleWorkbook(20_000), 'large.xlsx');
    await withConnection(async (conn) => {
      const info = await readSource(conn, file, options());
      expect(info.rowsRead).toBe(20_000);
      expect(await rows(conn, WRONG_STRINGS)).toEqual([{ n: 0 }]);
    });
  }, 60_000);

  it('takes the first sheet in tab order, or the one named', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('最初').addRow(['first']);
    workbook.addWorksheet('二番目').addRow(['second']);
    const { file } = await writeInExcelOrder(workbook, 'tabs.xlsx');
    await withConnection(async (conn) => {
      expect((await readSource(conn, file, options())).headers).toEqual(['first']);
      expect((await readSource(conn, file, options({ sheet: '二番目' }))).headers).toEqual(['second']);
      await expect(readSource(conn, file, options({ sheet: 'x' }))).rejects.toThrow('Could not read tabs.xlsx: it has no sheet named "x" (its sheets: 最初, 二番目)');
    });
  });

  it('skips a hidden first sheet (the one Excel opens on is the first shown), unless it is named', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('マスタ', { state: 'hidden' }).addRow(['lookup']);
    workbook.addWorksheet('隠し', { state: 'veryHidden' }).addRow(['secret']);
    workbook.addWorksheet('支給').addRow(['shown']);
    const { file } = await writeInExcelOrder(workbook, 'hidden-first.xlsx');
    await withConnection(async (conn) => {
      expect((await readSource(conn, file, options())).headers).toEqual(['shown']);
      expect((await readSource(conn, file, options({ sheet: 'マスタ' }))).headers).toEqual(['lookup']);
    });
  });
});

describe('strings as Japanese Excel stores them', () => {
  it('reads a string with its reading (furigana) stored beside it, and an inline string of several runs, as shown', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('支給');
    sheet.addRow(['参加者番号', '出典', 'メモ']);
    sheet.addRow(['WJ-1', '給与明細', 'placeholder']);
    const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    // Japanese Excel keeps the IME's reading of typed text as a phonetic run after the text.
    const readings: Record<string, string> = { 参加者番号: 'サンカシャバンゴウ', 給与明細: 'キュウヨメイサイ' };
    const strings = (await zip.file('xl/sharedStrings.xml')!.async('string')).replace(/<t>([^<]*)<\/t>/g, (t, text: string) =>
      readings[text] ? `${t}<rPh sb="0" eb="${text.length}"><t>${readings[text]}</t></rPh><phoneticPr fontId="1"/>` : t);
    expect(strings).toContain('<rPh');
    zip.file('xl/sharedStrings.xml', strings);
    const sheetPart = Object.keys(zip.files).find((p) => p.startsWith('xl/worksheets/sheet'))!;
    const xml = (await zip.file(sheetPart)!.async('string')).replace(/<c r="C2"[^>]*>.*?<\/c>/, '<c r="C2" t="inlineStr"><is><r><rPr><b/></rPr><t>山田</t></r><r><t xml:space="preserve"> 花子</t></r><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></is></c>');
    expect(xml).toContain('inlineStr');
    zip.file(sheetPart, xml);
    const file = join(dir.path, 'furigana.xlsx');
    writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    await withConnection(async (conn) => {
      const info = await readSource(conn, file, options());
      expect(info.headers).toEqual(['参加者番号', '出典', 'メモ']);
      expect(await rows(conn, 'SELECT 参加者番号, 出典, メモ FROM _source')).toEqual([{ 参加者番号: 'WJ-1', 出典: '給与明細', メモ: '山田 花子' }]);
    });
  });

  it('gives the same text whichever place a part is split between two chunks', async () => {
    const xml = '<row><c t="inlineStr"><is><r><t>WJ-</t></r><r><t>1</t></r></is></c><c t="s"><v>0</v></c></row><si><t>月収</t><rPh sb="0" eb="2"><t>ゲッシュウ</t></rPh></si>';
    const whole = '<row><c t="inlineStr"><is><t>WJ-1</t></is></c><c t="s"><v>0</v></c></row><si><t>月収</t></si>';
    for (let at = 0; at <= xml.length; at++) {
      const filter = new ExcelText();
      let out = '';
      filter.on('data', (d) => (out += d));
      filter.write(xml.slice(0, at));
      filter.write(xml.slice(at));
      filter.end();
      await new Promise((resolve) => filter.on('end', resolve));
      expect(out, `split at ${at}`).toBe(whole);
    }
  });

  it('holds back at most about a megabyte of a string that never ends (a damaged or hostile part)', async () => {
    const filter = new ExcelText();
    let out = 0;
    filter.on('data', (d: string) => (out += d.length));
    const chunk = 'x'.repeat(1 << 16);
    filter.write('<is><t>');
    for (let i = 0; i < 40; i++) filter.write(chunk);
    expect(out).toBeGreaterThan(40 * chunk.length - (1 << 20) - chunk.length);
    filter.end();
  });
});

describe('damaged workbooks', () => {
  it('names a workbook cut short (half its bytes) in one sentence', async () => {
    const { file } = await writeInExcelOrder(peopleWorkbook(2_000), 'whole.xlsx');
    const bytes = readFileSync(file);
    for (const [name, length] of [['half.xlsx', bytes.length >> 1], ['nearly.xlsx', bytes.length - 30]] as const) {
      const cut = join(dir.path, name);
      writeFileSync(cut, bytes.subarray(0, length));
      await withConnection(async (conn) => {
        await expect(readSource(conn, cut, options())).rejects.toThrow(
          `Could not read ${name}: the workbook is damaged or incomplete (perhaps cut short while being copied or downloaded): open it in Excel and save it again, or ask for the file again`,
        );
      });
    }
  });
});

describe('date cells at the start of Excel\'s calendar', () => {
  it('reads serials 1, 59 and 61 as the days Excel shows, and rejects 60 (1900-02-29) with its reason', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['id', '日付', 'メモ']);
    // Serials as numbers in a date format: what Excel stores for a typed date.
    for (const [id, serial] of [[1, 1], [2, 59], [3, 60], [4, 61], [5, 45383], [6, 45383.375]] as const) {
      const row = sheet.addRow([id, serial, '']);
      row.getCell(2).numFmt = 'yyyy/m/d';
    }
    const { file } = await writeInExcelOrder(workbook, 'serials.xlsx');
    await withConnection(async (conn) => {
      const info = await readSource(conn, file, options());
      expect(info.rowsRead).toBe(6);
      expect(await rows(conn, 'SELECT _row::INTEGER AS _row, 日付 FROM _source ORDER BY _row')).toEqual([
        { _row: 2, 日付: '1900-01-01' },
        { _row: 3, 日付: '1900-02-28' },
        { _row: 5, 日付: '1900-03-01' },
        { _row: 6, 日付: '2024-04-01' },
        { _row: 7, 日付: '2024-04-01T09:00:00' },
      ]);
      expect(await rows(conn, 'SELECT _row::INTEGER AS _row, column_name, raw_value, reason FROM _source_rejects')).toEqual([
        { _row: 4, column_name: '日付', raw_value: '60', reason: 'Excel date serial 60 is 1900-02-29, a day that did not exist (Excel counts 1900 as a leap year); enter the date again' },
      ]);
      // A column that is not kept never rejects a row.
      await readSource(conn, file, options({ selectColumns: () => ['id'] }));
      expect(await rows(conn, 'SELECT count(*)::INTEGER AS n FROM _source')).toEqual([{ n: 6 }]);
      expect(await rows(conn, 'SELECT count(*)::INTEGER AS n FROM _source_rejects')).toEqual([{ n: 0 }]);
    });
  });
});
