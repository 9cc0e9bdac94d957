// The readers that stage one source file into DuckDB as text (`_source`, `_source_rejects`), against real files
// written to a temp folder and a real in-memory DuckDB.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../pipelines/db/connection.ts';
import { readSource, type ReadOptions } from '../pipelines/ingest/read/index.ts';
import { headerFit } from '../pipelines/ingest/mapping.ts';
import { quotedString } from '../pipelines/sql.ts';

let dir: string;
let instance: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'readers-'));
  instance = await openDatabase(':memory:');
});
afterAll(() => {
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  conn = await instance.connect();
});
afterEach(() => conn.closeSync());

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function options(extra: Partial<ReadOptions> = {}): ReadOptions {
  return { tempDir: dir, selectColumns: (headers) => headers, ...extra };
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** `_source` in row order, `_row` as a number. */
async function source(): Promise<Record<string, unknown>[]> {
  return rows('SELECT * REPLACE (_row::INTEGER AS _row) FROM _source ORDER BY _row');
}

async function rejects(): Promise<Record<string, unknown>[]> {
  return rows('SELECT * REPLACE (_row::INTEGER AS _row) FROM _source_rejects ORDER BY _row');
}

async function columnsOf(table: string): Promise<string[]> {
  return (await rows(`DESCRIBE ${table}`)).map((r) => String(r.column_name));
}

describe('CSV encodings and line endings', () => {
  it('reads UTF-8 without a BOM', async () => {
    const file = write('plain.csv', 'ref,amount,note\nA1,1000,"a, b"\nA2,,\n');
    const info = await readSource(conn, file, options());
    expect(info).toEqual({ format: 'csv', encoding: 'utf-8', headers: ['ref', 'amount', 'note'], header: { row: 1, how: 'first' }, kept: ['ref', 'amount', 'note'], rowsRead: 2 });
    expect(await source()).toEqual([
      { _row: 2, ref: 'A1', amount: '1000', note: 'a, b' },
      { _row: 3, ref: 'A2', amount: null, note: null },
    ]);
  });

  it('keeps spaces and quotes inside values', async () => {
    const file = write('spaces.csv', 'ref,note\n A1 ,"  padded  "\nA2,"say ""hi"""\n');
    await readSource(conn, file, options());
    expect(await source()).toEqual([
      { _row: 2, ref: ' A1 ', note: '  padded  ' },
      { _row: 3, ref: 'A2', note: 'say "hi"' },
    ]);
  });

  it('drops a UTF-8 BOM from the first header and reads Windows line endings (CRLF)', async () => {
    const file = write('bom-crlf.csv', '\uFEFFref, amount \r\nA1,100\r\nA2,200\r\n');
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('utf-8');
    expect(info.headers).toEqual(['ref', 'amount']);
    expect(await columnsOf('_source')).toEqual(['_row', 'ref', 'amount']);
    expect(await source()).toEqual([
      { _row: 2, ref: 'A1', amount: '100' },
      { _row: 3, ref: 'A2', amount: '200' },
    ]);
  });

  it('round-trips a Shift_JIS file from Japanese Excel exactly', async () => {
    const text = '氏名,月収,対象月\r\n山田太郎,２５０，０００円,令和8年4月\r\n佐藤花子,"250,000円",令和8年5月\r\n髙橋①,～０,R8.6\r\n';
    const file = write('sjis.csv', iconv.encode(text, 'cp932'));
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('shift_jis');
    expect(info.headers).toEqual(['氏名', '月収', '対象月']);
    expect(await source()).toEqual([
      { _row: 2, 氏名: '山田太郎', 月収: '２５０，０００円', 対象月: '令和8年4月' },
      { _row: 3, 氏名: '佐藤花子', 月収: '250,000円', 対象月: '令和8年5月' },
      { _row: 4, 氏名: '髙橋①', 月収: '～０', 対象月: 'R8.6' },
    ]);
    expect(await rejects()).toEqual([]);
  });

  it('detects EUC-JP', async () => {
    const file = write('euc.csv', iconv.encode('氏名,月収\n山田太郎,２５０，０００円\n', 'euc-jp'));
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('euc-jp');
    expect(await source()).toEqual([{ _row: 2, 氏名: '山田太郎', 月収: '２５０，０００円' }]);
  });

  it('reads a file that mixes CRLF, LF and lone CR line breaks, numbering its lines as Excel does', async () => {
    // Outside quotes each of them ends a line (a blank one included); inside quotes they are the value's own.
    const text = 'ref,note\r\nA1,x\nA2,"two\rlines"\rA3,y\r\n\nA4,"a\r\nb"\nA5,z,extra\rA6,w\n';
    for (const [name, bytes] of [['mixed-endings.csv', Buffer.from(text)], ['mixed-endings-sjis.csv', iconv.encode(`${text}A7,山田\r`, 'cp932')]] as const) {
      const info = await readSource(conn, write(name, bytes), options());
      expect(info.encoding).toBe(name.includes('sjis') ? 'shift_jis' : 'utf-8');
      expect(await source()).toEqual([
        { _row: 2, ref: 'A1', note: 'x' },
        { _row: 3, ref: 'A2', note: 'two\rlines' },
        { _row: 4, ref: 'A3', note: 'y' },
        { _row: 6, ref: 'A4', note: 'a\r\nb' },
        { _row: 8, ref: 'A6', note: 'w' },
        ...(info.encoding === 'shift_jis' ? [{ _row: 9, ref: 'A7', note: '山田' }] : []),
      ]);
      expect(await rejects()).toMatchObject([{ _row: 7, column_name: '(whole line)', reason: 'line has 3 fields but the header has 2' }]);
    }
  });

  it('honours an explicit encoding, by any of its aliases', async () => {
    const bytes = iconv.encode('氏名,対象月\n山田,令和8年4月\n', 'cp932');
    for (const alias of ['sjis', 'cp932', 'windows-31j', 'Shift_JIS']) {
      const info = await readSource(conn, write(`override-${alias}.csv`, bytes), options({ encoding: alias }));
      expect(info.encoding).toBe('shift_jis');
      expect(await source()).toEqual([{ _row: 2, 氏名: '山田', 対象月: '令和8年4月' }]);
    }
    // Forcing a wrong encoding is obeyed: the Japanese line is rejected as not valid UTF-8.
    const info = await readSource(conn, write('forced-utf8.csv', Buffer.concat([Buffer.from('ref,name\nA1,ok\n'), iconv.encode('A2,山田\n', 'cp932')])), options({ encoding: 'utf-8' }));
    expect(info.encoding).toBe('utf-8');
    expect(await source()).toEqual([{ _row: 2, ref: 'A1', name: 'ok' }]);
    expect(await rejects()).toMatchObject([{ _row: 3, reason: 'line contains bytes that are not valid UTF-8' }]);
    await expect(readSource(conn, write('bad-encoding.csv', 'a\n1\n'), options({ encoding: 'latin9' }))).rejects.toThrow(/Unknown encoding "latin9"/);
  });

  it('reads UTF-16 text with a BOM (Excel\'s "Unicode text", tab-separated)', async () => {
    const file = write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('氏名\t月収\r\n山田\t２５０，０００円\r\n', 'utf-16le')]));
    const info = await readSource(conn, file, options());
    expect(info).toMatchObject({ encoding: 'utf-16le', headers: ['氏名', '月収'] });
    expect(await source()).toEqual([{ _row: 2, 氏名: '山田', 月収: '２５０，０００円' }]);
  });

  it('rejects a Shift_JIS line with bytes that are not valid Shift_JIS, keeping the other lines', async () => {
    const file = write('sjis-broken.csv', Buffer.concat([
      iconv.encode('氏名,月収\n山田,100\n', 'cp932'),
      Buffer.from([0x82]), Buffer.from(',200\n'), // a lead byte with no trail byte
      iconv.encode('佐藤,300\n', 'cp932'),
    ]));
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('shift_jis');
    expect(info.rowsRead).toBe(3);
    expect(await source()).toEqual([
      { _row: 2, 氏名: '山田', 月収: '100' },
      { _row: 4, 氏名: '佐藤', 月収: '300' },
    ]);
    expect(await rejects()).toMatchObject([{ _row: 3, column_name: '氏名', reason: 'line contains bytes that are not valid Shift_JIS' }]);
  });

  it('reads a UTF-8 file with a few broken bytes as UTF-8 and rejects only those lines', async () => {
    const file = write('mostly-utf8.csv', Buffer.concat([
      Buffer.from('氏名,対象月\n' + '山田太郎,令和8年4月\n'.repeat(5)),
      Buffer.from([0xff]), Buffer.from('佐藤,令和8年5月\n'),
    ]));
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('utf-8');
    expect((await source()).length).toBe(5);
    expect(await rejects()).toMatchObject([{ _row: 7, reason: 'line contains bytes that are not valid UTF-8' }]);
  });

  it('reads a mostly-ASCII UTF-8 file with a few Japanese names and one stray character as UTF-8, rejecting only that line', async () => {
    // "東" pasted from a Shift_JIS file into a UTF-8 export: too few Japanese characters to outnumber its two broken
    // bytes ten to one, and bytes that happen to be valid Shift_JIS as a whole.
    const ascii = Array.from({ length: 40 }, (_, i) => `A${i},Smith,2026-04\n`).join('');
    const file = write('ascii-utf8-stray.csv', Buffer.concat([
      Buffer.from(`ref,name,period\n${ascii}B1,田中美咲,2026-04\nB2,東京,2026-05\nB3,`), iconv.encode('東', 'cp932'), Buffer.from(',2026-05\nB4,Lee,2026-06\n'),
    ]));
    const info = await readSource(conn, file, options());
    expect(info.encoding).toBe('utf-8');
    const read = await source();
    expect(read).toHaveLength(43);
    expect(read.filter((r) => String(r.ref).startsWith('B'))).toEqual([
      { _row: 42, ref: 'B1', name: '田中美咲', period: '2026-04' },
      { _row: 43, ref: 'B2', name: '東京', period: '2026-05' },
      { _row: 45, ref: 'B4', name: 'Lee', period: '2026-06' },
    ]);
    expect(await rejects()).toMatchObject([{ _row: 44, reason: 'line contains bytes that are not valid UTF-8' }]);
  });

  it('still reads Shift_JIS as Shift_JIS when it has a single Japanese character, or many with a broken byte', async () => {
    const one = write('sjis-one-char.csv', iconv.encode('ref,name\nA1,Smith\nA2,山\n', 'cp932'));
    expect((await readSource(conn, one, options())).encoding).toBe('shift_jis');
    expect((await source()).map((r) => r.name)).toEqual(['Smith', '山']);
    const names = '山田太郎,佐藤花子,鈴木一郎,田中美咲,渡辺健太,伊藤さくら,ﾔﾏﾀﾞﾀﾛｳ,ｻﾄｳﾊﾅｺ'.split(',');
    const broken = write('sjis-names-broken.csv', Buffer.concat([
      iconv.encode(`ref,name\n${names.map((n, i) => `A${i},${n}\n`).join('')}`, 'cp932'), Buffer.from([0x82]), Buffer.from(',x\n'),
    ]));
    expect((await readSource(conn, broken, options())).encoding).toBe('shift_jis');
    expect((await source()).map((r) => r.name)).toEqual(names);
    expect(await rejects()).toMatchObject([{ _row: names.length + 2, reason: 'line contains bytes that are not valid Shift_JIS' }]);
  });
});

describe('CSV structure', () => {
  it('chooses comma, tab or semicolon from the header and the lines after it', async () => {
    const files = {
      'comma.csv': 'ref,amount,note\nA1,"1,5",x;y\n',
      'tab.tsv': 'ref\tamount\tnote\nA1\t1,5\tx;y\n',
      'semicolon.txt': 'ref;amount;note\nA1;1,5;"x;y"\n',
    };
    for (const [name, text] of Object.entries(files)) {
      await readSource(conn, write(name, text), options());
      expect(await source()).toEqual([{ _row: 2, ref: 'A1', amount: '1,5', note: 'x;y' }]);
    }
  });

  it('puts structurally broken lines in _source_rejects with their line, and numbers the good rows after them correctly', async () => {
    const file = write('broken.csv', [
      'ref,amount,month', // 1
      'A1,100,2026-04', // 2
      'A2,200,2026-04,extra,more', // 3 too many fields
      'A3,300', // 4 too few
      'A4,"4"00,2026-04', // 5 text after a closing quote
      'A5,500,2026-04', // 6
      '', // 7 blank line: skipped
      'A6,"multi', // 8: one record over two lines
      'line",2026-05', // (8)
      'A7,700,2026-05', // 9
      '',
    ].join('\n'));
    const info = await readSource(conn, file, options());
    expect(info.rowsRead).toBe(7);
    expect(await source()).toEqual([
      { _row: 2, ref: 'A1', amount: '100', month: '2026-04' },
      { _row: 6, ref: 'A5', amount: '500', month: '2026-04' },
      { _row: 8, ref: 'A6', amount: 'multi\nline', month: '2026-05' },
      { _row: 9, ref: 'A7', amount: '700', month: '2026-05' },
    ]);
    expect(await rejects()).toEqual([
      { _row: 3, column_name: '(whole line)', raw_value: 'A2,200,2026-04,extra,more', reason: 'line has 5 fields but the header has 3' },
      { _row: 4, column_name: '(whole line)', raw_value: 'A3,300', reason: 'line has 2 fields but the header has 3' },
      { _row: 5, column_name: 'amount', raw_value: 'A4,"4"00,2026-04', reason: 'a quoted value is not closed properly: a " is missing, or text follows the closing "' },
    ]);
    expect(await columnsOf('_source_rejects')).toEqual(['_row', 'column_name', 'raw_value', 'reason']);
  });

  it('reports an unterminated quote and the lines it swallowed', async () => {
    const file = write('unterminated.csv', 'ref,note\r\nA1,ok\r\nA2,"never closed\r\nA3,lost\r\n');
    const info = await readSource(conn, file, options());
    expect(await source()).toEqual([{ _row: 2, ref: 'A1', note: 'ok' }]);
    expect(await rejects()).toMatchObject([{ _row: 3, column_name: 'note', reason: 'a quoted value starting on this line is never closed, so this line and the 1 line after it could not be read' }]);
    expect(info.rowsRead).toBe(2);
  });

  it('counts blank lines before the header', async () => {
    const file = write('leading-blank.csv', '\n\nref,amount\nA1,1\n\nA2,2\n');
    const info = await readSource(conn, file, options());
    expect(info.headers).toEqual(['ref', 'amount']);
    expect(await source()).toEqual([
      { _row: 4, ref: 'A1', amount: '1' },
      { _row: 6, ref: 'A2', amount: '2' },
    ]);
  });

  it('reads a file whose name DuckDB would take as a pattern ([, *, ?) as that file', async () => {
    write('給与 4.csv', 'ref\nwrong file\n');
    const info = await readSource(conn, write('給与 [4月].csv', 'ref\nright file\n'), options());
    expect(info.rowsRead).toBe(1);
    expect(await source()).toEqual([{ _row: 2, ref: 'right file' }]);
    await readSource(conn, write('sjis [1].csv', iconv.encode('氏名\n山田\n', 'cp932')), options());
    expect(await source()).toEqual([{ _row: 2, 氏名: '山田' }]);
  });

  it('treats an empty file, or one with only a header, as zero rows', async () => {
    let info = await readSource(conn, write('empty.csv', ''), options());
    expect(info).toEqual({ format: 'csv', encoding: 'utf-8', headers: [], kept: [], rowsRead: 0 });
    expect(await columnsOf('_source')).toEqual(['_row']);
    expect(await source()).toEqual([]);
    expect(await rejects()).toEqual([]);
    info = await readSource(conn, write('header-only.csv', '氏名,月収\r\n'), options());
    expect(info.rowsRead).toBe(0);
    expect(await columnsOf('_source')).toEqual(['_row', '氏名', '月収']);
    info = await readSource(conn, write('header-no-newline.csv', 'ref,amount'), options());
    expect(info.headers).toEqual(['ref', 'amount']);
    expect(await source()).toEqual([]);
  });

  it('refuses a header with NUL bytes (UTF-16 without a byte order mark) in one sentence, not a SQL parser error', async () => {
    const file = write('utf16-no-bom.csv', Buffer.from('ref,amount\r\nP1,1\r\n', 'utf16le'));
    await expect(readSource(conn, file, options())).rejects.toThrow(
      'Could not read utf16-no-bom.csv: its header contains NUL bytes, so it is not text as written (it may be UTF-16 text without a byte order mark): save it again as CSV UTF-8',
    );
  });

  it('refuses duplicate headers with a sentence naming the file and the header', async () => {
    await expect(readSource(conn, write('dup.csv', 'ref,月収, 月収 \n1,2,3\n'), options())).rejects.toThrow(
      'Could not read dup.csv: the header "月収" appears twice (columns 2 and 3); every column needs its own name',
    );
  });

  it('ignores columns with an empty header (as Excel leaves beside a table), and refuses to keep one', async () => {
    const file = write('blank-header.csv', 'ref,,amount,,\n1,2,3,,\n');
    const named = options({ selectColumns: (headers) => headers.filter((h) => h !== '') });
    expect(await readSource(conn, file, named)).toMatchObject({ headers: ['ref', '', 'amount', '', ''], kept: ['ref', 'amount'], rowsRead: 1 });
    expect(await source()).toEqual([{ _row: 2, ref: '1', amount: '3' }]);
    await expect(readSource(conn, file, options())).rejects.toThrow('Could not read blank-header.csv: a column with an empty header cannot be kept; give it a name');
  });

  it('keeps only the selected columns: the others never reach DuckDB', async () => {
    const secrets = ['山田太郎', '090-1234-5678', '佐藤花子', '080-9999-0000'];
    const file = write('people.csv', [
      'ref,氏名,電話,月収',
      `A1,${secrets[0]},${secrets[1]},250000`,
      `A2,${secrets[2]},${secrets[3]},300000,extra`, // broken: its raw text must not be kept either
      'A3,,,100',
    ].join('\n'));
    let seen: string[] = [];
    const info = await readSource(conn, file, options({ selectColumns: (headers) => { seen = headers; return ['ref', '月収']; } }));
    expect(seen).toEqual(['ref', '氏名', '電話', '月収']);
    expect(info.headers).toEqual(['ref', '氏名', '電話', '月収']);
    expect(info.kept).toEqual(['ref', '月収']);
    expect(await columnsOf('_source')).toEqual(['_row', 'ref', '月収']);
    expect(await source()).toEqual([
      { _row: 2, ref: 'A1', 月収: '250000' },
      { _row: 4, ref: 'A3', 月収: '100' },
    ]);
    expect(await rejects()).toEqual([{ _row: 3, column_name: '(whole line)', raw_value: null, reason: 'line has 5 fields but the header has 4' }]);
    // Nothing else was left behind, and no value of the dropped columns is anywhere in what was.
    const tables = (await rows('SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY table_name')).map((r) => r.table_name);
    expect(tables).toEqual(['_source', '_source_rejects']);
    for (const table of tables) {
      const text = JSON.stringify(await rows(`SELECT * FROM ${String(table)}`));
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('still numbers rows and rejects lines when no column is kept', async () => {
    const info = await readSource(conn, write('none-kept.csv', 'a,b\n1,2\n3\n4,5\n'), options({ selectColumns: () => [] }));
    expect(info).toMatchObject({ kept: [], rowsRead: 3 });
    expect(await source()).toEqual([{ _row: 2 }, { _row: 4 }]);
    expect(await rejects()).toMatchObject([{ _row: 3, raw_value: null }]);
  });

  it('rejects headers the warehouse cannot hold apart', async () => {
    const file = write('case.csv', 'Ref,ref,_row\n1,2,3\n');
    await expect(readSource(conn, file, options())).rejects.toThrow(/"Ref" and "ref" differ only in upper and lower case/);
    await expect(readSource(conn, file, options({ selectColumns: () => ['_row'] }))).rejects.toThrow(/"_row" is reserved/);
    await expect(readSource(conn, file, options({ selectColumns: () => ['nope'] }))).rejects.toThrow(/selectColumns asked for "nope"/);
    await readSource(conn, file, options({ selectColumns: () => ['ref'] }));
    expect(await source()).toEqual([{ _row: 2, ref: '2' }]);
  });
});

describe('formats', () => {
  it('refuses extensions it cannot read, with advice', async () => {
    await expect(readSource(conn, write('old.xls', 'x'), options())).rejects.toThrow(
      'Could not read old.xls: old Excel .xls files are not supported: save as .xlsx or CSV',
    );
    await expect(readSource(conn, write('report.pdf', 'x'), options())).rejects.toThrow(/Could not read report\.pdf: files ending in "\.pdf" are not supported/);
    await expect(readSource(conn, join(dir, 'missing.csv'), options())).rejects.toThrow('Could not read missing.csv: the file does not exist');
  });

  it('reads an xlsx sheet: dates, numbers, formulas, rich text, hyperlinks, blank rows', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('表紙').getCell('A1').value = 'not this sheet';
    const sheet = workbook.addWorksheet('支給');
    // Row 1 empty: the header is the first row with a value.
    sheet.getRow(2).values = ['', ' 氏名 ', '月収', '支給日', '時刻', '計算', '有効', 'リンク', 'エラー'];
    const cells = (row: number, values: ExcelJS.CellValue[]) => values.forEach((v, i) => { sheet.getCell(row, i + 2).value = v; });
    cells(3, [
      { richText: [{ text: '山田', font: { bold: true } }, { text: '太郎' }] },
      250000,
      new Date(Date.UTC(2026, 3, 1)),
      new Date(Date.UTC(2026, 3, 1, 9, 30)),
      { formula: 'C3*2', result: 500000 },
      true,
      { text: '資料', hyperlink: 'https://example.org/a' },
      { error: '#N/A' },
    ]);
    sheet.getCell('D3').numFmt = 'yyyy/m/d';
    sheet.getCell('E3').numFmt = 'yyyy/m/d h:mm';
    // Row 4 blank: skipped, row 5 keeps its number.
    cells(5, ['佐藤', 0.1, null, null, { formula: 'C5*2', result: 0.2 }, false, null, null]);
    sheet.getCell('J5').value = 'outside the header: ignored';
    // Trailing empty rows: ignored.
    sheet.getRow(7).getCell(2).value = '';
    sheet.getRow(8).getCell(2).value = null;
    const file = join(dir, 'book.xlsx');
    await workbook.xlsx.writeFile(file);

    const info = await readSource(conn, file, options({ sheet: '支給' }));
    expect(info).toMatchObject({ format: 'xlsx', encoding: null, headers: ['氏名', '月収', '支給日', '時刻', '計算', '有効', 'リンク', 'エラー'], rowsRead: 2 });
    expect(await source()).toEqual([
      { _row: 3, 氏名: '山田太郎', 月収: '250000', 支給日: '2026-04-01', 時刻: '2026-04-01T09:30:00', 計算: '500000', 有効: 'true', リンク: '資料', エラー: '#N/A' },
      { _row: 5, 氏名: '佐藤', 月収: '0.1', 支給日: null, 時刻: null, 計算: '0.2', 有効: 'false', リンク: null, エラー: null },
    ]);
    expect(await rejects()).toEqual([]);

    // The first worksheet by default; a missing sheet is named in the error.
    const first = await readSource(conn, file, options());
    expect(first.headers).toEqual(['not this sheet']);
    await expect(readSource(conn, file, options({ sheet: 'Sheet9' }))).rejects.toThrow('Could not read book.xlsx: it has no sheet named "Sheet9" (its sheets: 表紙, 支給)');
  });

  it('shows a formula\'s cached result in its cell\'s date format as a date', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['開始', '終了']);
    sheet.addRow([new Date(Date.UTC(2026, 3, 1)), { formula: 'A2+29', result: new Date(Date.UTC(2026, 3, 30)) }]);
    sheet.getColumn(1).numFmt = 'yyyy/m/d';
    sheet.getCell('A2').numFmt = 'yyyy/m/d';
    sheet.getCell('B2').numFmt = 'yyyy/m/d';
    await workbook.xlsx.writeFile(join(dir, 'formula-date.xlsx'));
    await readSource(conn, join(dir, 'formula-date.xlsx'), options());
    expect(await source()).toEqual([{ _row: 2, 開始: '2026-04-01', 終了: '2026-04-30' }]);
  });

  it('reads dates in the built-in Japanese formats (2026年4月1日, 令和8年4月25日) as dates', async () => {
    // era-dates.xlsx: B2 uses built-in numFmtId 31 (yyyy"年"m"月"d"日"), C2 numFmtId 58 (ggge"年"m"月"d"日"), as Japanese
    // Excel writes them; exceljs's own table leaves such cells as serial numbers.
    const file = new URL('./fixtures/readers/era-dates.xlsx', import.meta.url).pathname;
    await readSource(conn, file, options());
    expect(await source()).toEqual([{ _row: 2, id: '1', 支給日: '2026-04-01', 和暦: '2026-04-25' }]);
  });

  it('reads an xlsx sheet with only the selected columns and refuses duplicate headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['ref', '氏名', 'amount']);
    sheet.addRow(['A1', '山田太郎', 100]);
    const file = join(dir, 'select.xlsx');
    await workbook.xlsx.writeFile(file);
    await readSource(conn, file, options({ selectColumns: () => ['ref', 'amount'] }));
    expect(await columnsOf('_source')).toEqual(['_row', 'ref', 'amount']);
    expect(JSON.stringify(await source())).not.toContain('山田');

    const dup = new ExcelJS.Workbook();
    dup.addWorksheet('Sheet1').addRow(['ref', 'ref']);
    await dup.xlsx.writeFile(join(dir, 'dup.xlsx'));
    await expect(readSource(conn, join(dir, 'dup.xlsx'), options())).rejects.toThrow('Could not read dup.xlsx: the header "ref" appears twice');
  });

  it('treats an empty sheet as zero rows and names a file that is not an xlsx workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    await workbook.xlsx.writeFile(join(dir, 'empty.xlsx'));
    expect(await readSource(conn, join(dir, 'empty.xlsx'), options())).toEqual({ format: 'xlsx', encoding: null, headers: [], kept: [], rowsRead: 0 });
    expect(await source()).toEqual([]);
    await expect(readSource(conn, write('renamed.xlsx', 'a,b\n1,2\n'), options())).rejects.toThrow(/^Could not read renamed\.xlsx: it is not an \.xlsx workbook/);
  });

  it('reads Parquet written by DuckDB, typed values as text', async () => {
    const file = join(dir, 'typed.parquet');
    await conn.run(`COPY (
      SELECT * FROM (VALUES
        (1, DATE '2026-04-01', TIMESTAMP '2026-04-01 09:30:00', 12.50::DECIMAL(10, 2), {'k': [1, 2]}, [1, 2], true, '山田太郎', 'secret'),
        (2, NULL, NULL, NULL, NULL, NULL, false, '', 'secret2')
      ) AS t(id, paid_on, paid_at, amount, extra, list, ok, name, phone)
    ) TO ${quotedString(file)} (FORMAT parquet)`);
    const info = await readSource(conn, file, options({ selectColumns: (h) => h.filter((x) => x !== 'phone') }));
    expect(info).toMatchObject({ format: 'parquet', encoding: null, kept: ['id', 'paid_on', 'paid_at', 'amount', 'extra', 'list', 'ok', 'name'], rowsRead: 2 });
    expect(await source()).toEqual([
      { _row: 1, id: '1', paid_on: '2026-04-01', paid_at: '2026-04-01T09:30:00', amount: '12.50', extra: '{"k":[1,2]}', list: '[1,2]', ok: 'true', name: '山田太郎' },
      { _row: 2, id: '2', paid_on: null, paid_at: null, amount: null, extra: null, list: null, ok: 'false', name: '' },
    ]);
  });

  it('reads JSON arrays and NDJSON written by DuckDB', async () => {
    const query = `SELECT * FROM (VALUES (1, '山田太郎', 250000.5, {'a': [1, 2]}, true), (2, 'x', NULL, NULL, false)) AS t(id, name, amount, nested, ok)`;
    const array = join(dir, 'rows.json');
    const lines = join(dir, 'rows.ndjson');
    await conn.run(`COPY (${query}) TO ${quotedString(array)} (FORMAT json, ARRAY true)`);
    await conn.run(`COPY (${query}) TO ${quotedString(lines)} (FORMAT json)`);
    const expected = [
      { _row: 1, id: '1', amount: '250000.5', nested: '{"a":[1,2]}', ok: 'true' },
      { _row: 2, id: '2', amount: null, nested: null, ok: 'false' },
    ];
    const keep = options({ selectColumns: (h) => h.filter((x) => x !== 'name') });
    expect(await readSource(conn, array, keep)).toEqual({ format: 'json', encoding: 'utf-8', headers: ['id', 'name', 'amount', 'nested', 'ok'], kept: ['id', 'amount', 'nested', 'ok'], rowsRead: 2 });
    expect(await source()).toEqual(expected);
    expect(await readSource(conn, lines, keep)).toMatchObject({ format: 'ndjson', rowsRead: 2 });
    expect(await source()).toEqual(expected);
    expect(JSON.stringify(await source())).not.toContain('山田');
  });

  it('collects JSON keys from every record, and names malformed JSON', async () => {
    const file = write('late-key.jsonl', '{"id": 1}\n{"id": 2, "late": "x"}\n');
    await readSource(conn, file, options());
    expect(await source()).toEqual([{ _row: 1, id: '1', late: null }, { _row: 2, id: '2', late: 'x' }]);
    await readSource(conn, write('empty.json', '[]'), options());
    expect(await source()).toEqual([]);
    await expect(readSource(conn, write('bad.ndjson', '{"id": 1}\n{"id": }\n{"id": 3}\n'), options())).rejects.toThrow(/^Could not read bad\.ndjson: it is not valid JSON \(Malformed JSON in file .*, at byte \d+ in line \d+/);
    await expect(readSource(conn, write('scalars.json', '[1, 2]'), options())).rejects.toThrow(/^Could not read scalars\.json: it is not a list of JSON objects/);
  });
});

describe('the header row', () => {
  // As the loader asks: does a row have every required column of income, and how many does it feed?
  const income = (extra: Partial<ReadOptions> = {}) => options({ headerFit: (headers) => headerFit('income', headers), selectColumns: (h) => h.filter((x) => x !== ''), ...extra });
  const title = ['2026年4月 支給明細', '', '', '', ''];
  const header = ['参加者番号', '対象月', '月収', '出典', '確認済'];
  const data = [['P1', '2026-04', '250000', '給与明細', 'はい'], ['P2', '2026-04', '260000', '給与明細', 'いいえ']];

  it('skips a title and a note above a CSV header, keeping the file\'s row numbers', async () => {
    const lines = [title.join(','), '作成: 経理部', '', header.join(','), ...data.map((r) => r.join(',')), 'P3,2026-04,1,2', data[0]!.join(',')];
    const info = await readSource(conn, write('titled.csv', lines.join('\r\n') + '\r\n'), income());
    expect(info).toMatchObject({ headers: header, header: { row: 4, how: 'found' }, rowsRead: 4 });
    expect((await source()).map((r) => [r._row, r.参加者番号])).toEqual([[5, 'P1'], [6, 'P2'], [8, 'P1']]);
    expect(await rejects()).toMatchObject([{ _row: 7, reason: 'line has 4 fields but the header has 5' }]);
  });

  it('skips a title row above an xlsx header, keeping the sheet\'s row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(title);
    sheet.addRow([]);
    sheet.addRow(header);
    for (const r of data) sheet.addRow(r);
    const file = join(dir, 'titled.xlsx');
    await workbook.xlsx.writeFile(file);
    const info = await readSource(conn, file, income());
    expect(info).toMatchObject({ headers: header, header: { row: 3, how: 'found' }, rowsRead: 2 });
    expect((await source()).map((r) => [r._row, r.参加者番号, r.月収])).toEqual([[4, 'P1', '250000'], [5, 'P2', '260000']]);
  });

  it('takes the row the mapping gives (header_row), or the first row when none fits, saying which', async () => {
    const lines = [title.join(','), ['id', ...header.slice(1)].join(','), ...data.map((r) => r.join(','))].join('\n');
    const file = write('no-ref.csv', lines + '\n');
    // No row has participant_ref: the first row is taken, as before.
    expect(await readSource(conn, file, income())).toMatchObject({ headers: title, header: { row: 1, how: 'first' } });
    const given = await readSource(conn, file, income({ headerRow: 2 }));
    expect(given).toMatchObject({ headers: ['id', ...header.slice(1)], header: { row: 2, how: 'given' }, rowsRead: 2 });
    expect((await source()).map((r) => r._row)).toEqual([3, 4]);
    await expect(readSource(conn, file, income({ headerRow: 9 }))).rejects.toThrow('Could not read no-ref.csv: its row 9, given as header_row in the mapping file, is empty or past the end of the file');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    for (const r of [title, ['id', ...header.slice(1)], ...data]) sheet.addRow(r);
    await workbook.xlsx.writeFile(join(dir, 'no-ref.xlsx'));
    expect(await readSource(conn, join(dir, 'no-ref.xlsx'), income())).toMatchObject({ headers: [title[0]], header: { row: 1, how: 'first' } });
    expect(await readSource(conn, join(dir, 'no-ref.xlsx'), income({ headerRow: 2 }))).toMatchObject({ header: { row: 2, how: 'given' }, rowsRead: 2 });
  });

  it('takes the first of two rows that fit equally well', async () => {
    const file = write('two-candidates.csv', [header.join(','), header.join(','), data[0]!.join(',')].join('\n') + '\n');
    expect(await readSource(conn, file, income())).toMatchObject({ header: { row: 1, how: 'found' }, rowsRead: 2 });
  });
});

describe('scale', () => {
  // Speed is measured by `npm run bench`, not here.
  it('numbers the rows of a 1M-row CSV without a gap', async () => {
    const file = join(dir, 'big.csv');
    const out = createWriteStream(file);
    out.write('ref,氏名,month,amount,city,note\n');
    let chunk = '';
    for (let i = 1; i <= 1_000_000; i++) {
      chunk += `R${i},Person ${i},2026-${String((i % 12) + 1).padStart(2, '0')},${(i * 37) % 500000},City${i % 97},"note, ${i % 13}"\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');

    await readSource(conn, file, options());
    expect(await rows('SELECT count(*)::INTEGER AS n, min(_row)::INTEGER AS first, max(_row)::INTEGER AS last FROM _source')).toEqual([{ n: 1_000_000, first: 2, last: 1_000_001 }]);
  }, 120_000);
});
