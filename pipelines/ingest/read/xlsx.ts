// Stages one worksheet of an .xlsx file, streamed with exceljs (the whole workbook is never held in memory) and
// appended to `_source` row by row.
//
// Cells become text as a person sees them: dates as YYYY-MM-DD (full ISO if they have a time of day), numbers as
// JavaScript writes them, booleans as true/false, formulas as their cached result, rich text and hyperlinks as their
// text, errors as their code (#N/A). The header row is the first row with any non-empty cell; rows with no value
// under any header are skipped (so trailing empty rows are ignored); `_row` is the sheet's own row number.
//
// Known limits of exceljs's streaming reader: a formula whose cached result is a boolean gives 1 or 0, one whose
// result is an error gives NULL, and an inline (not shared) rich-text string keeps only its last run.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import {
  SOURCE_TABLE, checkHeaders, chooseColumns, createEmptySource, createRejectsTable, createStagingSource, nameColumns,
  readError, type KeptColumn,
} from './stage.ts';
import { readSample } from './detect.ts';
import type { ReadOptions, SourceInfo } from './types.ts';

/** The parts of exceljs's streaming WorkbookReader used here that its typings do not declare. */
interface ReaderInternals {
  model?: { sheets?: Array<{ name?: string }> };
  properties?: { model?: { date1904?: boolean } };
  styles?: { index?: { numFmt?: Array<string | undefined> } };
  stream?: { destroy?: () => void };
}

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');

interface SheetRow {
  number: number;
  eachCell(callback: (cell: { value: ExcelJS.CellValue; numFmt?: string }, column: number) => void): void;
}

export async function readXlsx(conn: DuckDBConnection, file: string, options: ReadOptions): Promise<SourceInfo> {
  const { sample } = await readSample(file, 4);
  if (!sample.equals(ZIP_SIGNATURE)) {
    throw readError(file, 'it is not an .xlsx workbook (it may be an old .xls file, a password-protected workbook, or another kind of file renamed to .xlsx): save it again as .xlsx or CSV');
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats: needed to tell a date from a number
    hyperlinks: 'ignore', // a hyperlink cell still has its text
    entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  const names: string[] = [];
  let staged: SourceInfo | undefined;
  try {
    // The loop runs to the end even after the sheet is staged: when a workbook stores its shared strings after its
    // sheets (as Excel does), exceljs parks each sheet in a temporary file, deleted only as iteration moves past it.
    // A sheet not staged is drained, not skipped: skipping lets exceljs delete its temporary file while a read stream
    // it has already created still points at it, which fails later as an uncaught ENOENT.
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      names.push(name);
      // Sheets come in the order of the zip; the first worksheet is the first in the workbook's tab order. If exceljs
      // could not match a sheet file to its name, take the first sheet file.
      const tabOrder = internals.model?.sheets?.map((s) => s.name) ?? [];
      const wanted = !staged && (options.sheet !== undefined ? name === options.sheet : name === tabOrder[0] || !tabOrder.includes(name));
      if (!wanted) {
        for await (const _row of worksheet as unknown as AsyncIterable<SheetRow>) void _row;
        continue;
      }
      addEastAsianDateFormats(internals);
      const date1904 = internals.properties?.model?.date1904 === true;
      staged = await stageSheet(conn, file, worksheet as unknown as AsyncIterable<SheetRow>, options, date1904);
    }
  } finally {
    internals.stream?.destroy?.();
  }
  if (staged) return staged;
  const all = internals.model?.sheets?.map((s) => s.name).filter((n) => n !== undefined) ?? names;
  if (options.sheet !== undefined) throw readError(file, `it has no sheet named "${options.sheet}" (its sheets: ${all.join(', ') || 'none'})`);
  throw readError(file, 'it has no worksheets');
}

async function stageSheet(conn: DuckDBConnection, file: string, rows: AsyncIterable<SheetRow>, options: ReadOptions, date1904: boolean): Promise<SourceInfo> {
  await createRejectsTable(conn);
  let headers: string[] = [];
  let kept: KeptColumn[] = [];
  let firstColumn = 0; // sheet column (1-based) of the first header
  let appender: DuckDBAppender | undefined;
  let rowsRead = 0;
  try {
    for await (const row of rows) {
      const texts: Array<string | null> = [];
      row.eachCell((cell, column) => {
        texts[column] = cellText(cell.value, cell.numFmt, date1904);
      });
      if (!appender) {
        const filled = texts.flatMap((text, column) => (text !== null && text !== undefined && text.trim() !== '' ? [column] : []));
        if (filled.length === 0) continue;
        firstColumn = filled[0]!;
        headers = range(firstColumn, filled.at(-1)!).map((column) => texts[column]?.trim() ?? '');
        checkHeaders(file, headers);
        kept = chooseColumns(file, headers, options.selectColumns);
        await createStagingSource(conn, kept);
        appender = await conn.createAppender(SOURCE_TABLE, 'main', 'temp');
        continue;
      }
      const values = headers.map((_, i) => texts[firstColumn + i] ?? null);
      if (values.every((v) => v === null || v === '')) continue;
      appender.appendBigInt(BigInt(row.number));
      for (const column of kept) {
        const value = values[column.index];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
      rowsRead++;
    }
  } finally {
    appender?.closeSync();
  }
  if (appender) {
    await nameColumns(conn, kept);
  } else {
    kept = chooseColumns(file, headers, options.selectColumns); // no header row: an empty sheet
    await createEmptySource(conn, kept);
  }
  return { format: 'xlsx', encoding: null, headers, kept: kept.map((c) => c.header), rowsRead };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A cell's value as text, or null for an empty cell. */
export function cellText(value: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    return isDateFormat(numFmt) ? isoText(serialToDate(value, date1904)) : String(value);
  }
  if (value instanceof Date) return isoText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue, undefined, date1904);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null, numFmt, date1904);
  return null;
}

/** YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.sss] when there is a time of day. Excel times have no zone: none is added. */
function isoText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString(); // exceljs puts the sheet's wall-clock time in UTC
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

function serialToDate(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial;
  return new Date(Math.round((days - 25569) * 86_400_000));
}

/** True for a number format that shows a date or time (as exceljs decides, with escapes and fill characters removed). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/[_*]./g, '');
  return /[ymdhsb]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/**
 * Excel's built-in East Asian date formats (numFmtId 27-36, 50-58: e.g. 2026年4月1日, 令和8年4月1日) are not in
 * exceljs's table, so their dates would come out as serial numbers. Registers them, as date formats, before rows are read.
 */
function addEastAsianDateFormats(reader: ReaderInternals): void {
  const numFmt = reader.styles?.index?.numFmt;
  if (!numFmt) return;
  for (const id of [...range(27, 31), ...range(34, 36), ...range(50, 58)]) numFmt[id] ??= 'yyyy-mm-dd';
  for (const id of [32, 33]) numFmt[id] ??= 'h:mm:ss';
}
