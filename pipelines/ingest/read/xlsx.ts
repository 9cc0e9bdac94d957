// Stages one worksheet of an .xlsx file and appends it to `_source` row by row.
//
// The zip is read through its directory (with unzipper, exceljs's own zip library), its parts in the order they are
// needed (workbook, shared strings, styles, then the one sheet) whatever order the file stores them in; each part is
// decoded as UTF-8 across chunk boundaries and parsed, streaming, by exceljs's own part readers, so the sheet is never
// held in memory. exceljs's streaming WorkbookReader does not read the zip itself: its one pass over the zip sometimes
// loses a part (the shared strings, when they come after the sheet as Excel stores them, so that every text cell became
// a placeholder), and it decodes each chunk on its own, garbling a character split between two chunks (23 of 100,000
// Japanese strings in a 100,000-row sheet).
//
// Cells become text as a person sees them: dates as YYYY-MM-DD (full ISO if they have a time of day), numbers as
// JavaScript writes them, booleans as true/false, formulas as their cached result, rich text and hyperlinks as their
// text, errors as their code (#N/A). A date cell whose serial stands for no day (1900-02-29) rejects its row, with
// the reason. The header row is found as header-row.ts says, among the rows with a value; rows with no value under any
// header are skipped (so trailing empty rows are ignored); `_row` is the sheet's own row number.
//
// Known limits of exceljs's sheet reader: a formula whose cached result is a boolean gives 1 or 0, and one whose result
// is an error gives NULL. (Phonetic runs and an inline string's runs are dealt with in xlsx-text.ts.)
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { exceljsDateSerial, excelSerialDate } from '../../contract/excel-serial.ts';
import {
  REJECTS_TABLE, SOURCE_TABLE, SourceReadError, checkHeaders, chooseColumns, createEmptySource, createRejectsTable,
  createStagingSource, nameColumns, readError, type KeptColumn,
} from './stage.ts';
import { readSample } from './detect.ts';
import { HEADER_SEARCH_ROWS, chooseHeaderRow } from './header-row.ts';
import type { HeaderRow, ReadOptions, SourceInfo } from './types.ts';
import { ExcelText } from './xlsx-text.ts';

/** What is used of unzipper (exceljs's own zip reader, without typings): a zip's directory, read from its end. */
interface ZipDirectory {
  files: Array<{ path: string; type: string; stream(): Readable }>;
}
const unzipper = createRequire(import.meta.url)('unzipper') as { Open: { file(path: string): Promise<ZipDirectory> } };

/** The part readers of exceljs's WorkbookReader used here, which its typings do not declare (exceljs 4.4). */
interface PartReaders {
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<SheetRow> }>;
  workbookRels?: Array<{ Id: string; Type?: string; Target: string }>;
  model?: { sheets?: Array<{ name?: string; rId?: string; state?: string }> };
  properties?: { model?: { date1904?: boolean } };
  styles?: { index?: { numFmt?: Array<string | undefined> } };
}

const ZIP_SIGNATURE = Buffer.from('PK\x03\x04', 'latin1');
const DAMAGED = 'the workbook is damaged or incomplete (perhaps cut short while being copied or downloaded): open it in Excel and save it again, or ask for the file again';

interface SheetRow {
  number: number;
  eachCell(callback: (cell: { value: ExcelJS.CellValue; numFmt?: string }, column: number) => void): void;
}

export async function readXlsx(conn: DuckDBConnection, file: string, options: ReadOptions): Promise<SourceInfo> {
  const { sample } = await readSample(file, 4);
  if (!sample.equals(ZIP_SIGNATURE)) {
    throw readError(file, 'it is not an .xlsx workbook (it may be an old .xls file, a password-protected workbook, or another kind of file renamed to .xlsx): save it again as .xlsx or CSV');
  }
  let zip: ZipDirectory;
  try {
    zip = await unzipper.Open.file(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== undefined) throw error; // the file system's, e.g. EACCES
    throw readError(file, DAMAGED, error);
  }
  const failures: unknown[] = [];
  const opened: Readable[] = [];
  /** A part of the zip as UTF-8 text (strings as Excel shows them: see xlsx-text.ts), or undefined if the workbook has no such part. */
  const part = (path: string | undefined): Readable | undefined => {
    const entry = path === undefined ? undefined : zip.files.find((f) => f.path === path && f.type === 'File');
    if (!entry) return undefined;
    const stream = entry.stream();
    stream.on('error', (error) => failures.push(error)); // a damaged part: reported below, in words
    // pipeline, not pipe: a damaged part must end the text stream with its error, not leave the reader waiting.
    const text = pipeline(stream.setEncoding('utf8'), new ExcelText(), () => undefined);
    opened.push(stream, text);
    return text;
  };
  try {
    return await stageWorkbook(conn, file, options, part);
  } catch (error) {
    if (failures.length > 0 && !(error instanceof SourceReadError)) throw readError(file, DAMAGED, failures[0]);
    throw error;
  } finally {
    for (const stream of opened) stream.destroy(); // a part left unread (a refused header) keeps its file open
  }
}

async function stageWorkbook(conn: DuckDBConnection, file: string, options: ReadOptions, part: (path: string | undefined) => Readable | undefined): Promise<SourceInfo> {
  // Only the part readers are used: the input is never opened.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache', // number formats: needed to tell a date from a number
    hyperlinks: 'ignore', // a hyperlink cell still has its text
    entries: 'ignore',
    worksheets: 'emit',
  }) as unknown as PartReaders;
  const rels = part('xl/_rels/workbook.xml.rels');
  const workbook = part('xl/workbook.xml');
  if (!rels || !workbook) throw readError(file, DAMAGED);
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbook);
  const target = (type: string) => reader.workbookRels?.find((r) => r.Type?.endsWith(`/${type}`))?.Target;
  const sharedStrings = part(partPath(target('sharedStrings') ?? 'sharedStrings.xml'));
  if (sharedStrings) for await (const _ of reader._parseSharedStrings(sharedStrings)) void _;
  const styles = part(partPath(target('styles') ?? 'styles.xml'));
  if (styles) await reader._parseStyles(styles);
  addEastAsianDateFormats(reader);

  // Worksheets in the workbook's tab order (chart sheets have no rows). Unless one is named, the first the workbook
  // shows: a hidden sheet (a lookup list, an old month) is not what Excel opens on, nor what the sender means.
  const sheets = (reader.model?.sheets ?? []).flatMap((sheet) => {
    const rel = reader.workbookRels?.find((r) => r.Id === sheet.rId);
    return rel && sheet.name !== undefined && /\/worksheet$/.test(rel.Type ?? '/worksheet') ? [{ name: sheet.name, path: partPath(rel.Target), hidden: sheet.state === 'hidden' || sheet.state === 'veryHidden' }] : [];
  });
  const wanted = options.sheet !== undefined ? sheets.find((s) => s.name === options.sheet) : (sheets.find((s) => !s.hidden) ?? sheets[0]);
  if (!wanted) {
    if (options.sheet !== undefined) throw readError(file, `it has no sheet named "${options.sheet}" (its sheets: ${sheets.map((s) => s.name).join(', ') || 'none'})`);
    throw readError(file, 'it has no worksheets');
  }
  const content = part(wanted.path);
  if (!content) throw readError(file, DAMAGED);
  const [emitted] = [...reader._parseWorksheet(content, '1')];
  const date1904 = reader.properties?.model?.date1904 === true;
  return stageSheet(conn, file, emitted!.value, options, date1904);
}

/** The zip path of a part the workbook's relationships name (relative to xl/, or absolute). */
function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
}

interface SheetLine {
  number: number;
  texts: Array<string | null>;
  unreadable: Map<number, UnreadableCell>;
}

async function stageSheet(conn: DuckDBConnection, file: string, rows: AsyncIterable<SheetRow>, options: ReadOptions, date1904: boolean): Promise<SourceInfo> {
  await createRejectsTable(conn);
  let headers: string[] = [];
  let header: HeaderRow | undefined;
  let kept: KeptColumn[] = [];
  let firstColumn = 0; // sheet column (1-based) of the first header
  let appender: DuckDBAppender | undefined;
  let rejects: DuckDBAppender | undefined;
  let rowsRead = 0;
  // Rows with a value, held until the header is chosen among them.
  const pending: SheetLine[] = [];

  const startTable = async (line: SheetLine, chosen: HeaderRow) => {
    firstColumn = filledColumns(line)[0]!;
    headers = rowHeaders(line);
    header = chosen;
    checkHeaders(file, headers);
    kept = chooseColumns(file, headers, options.selectColumns);
    await createStagingSource(conn, kept);
    appender = await conn.createAppender(SOURCE_TABLE, 'main', 'temp');
  };
  const chooseHeader = async () => {
    const chosen = chooseHeaderRow(file, pending.map((line) => ({ row: line.number, headers: rowHeaders(line) })), options);
    if (!chosen) return;
    await startTable(pending[chosen.index]!, chosen.header);
    for (const line of pending.splice(0).slice(chosen.index + 1)) await addRow(line);
  };
  const addRow = async (line: SheetLine) => {
    const values = headers.map((_, i) => line.texts[firstColumn + i] ?? null);
    const problems = kept.flatMap((column) => {
      const problem = line.unreadable.get(firstColumn + column.index);
      return problem ? [{ column, problem }] : [];
    });
    if (problems.length === 0 && values.every((v) => v === null || v === '')) return;
    rowsRead++;
    if (problems.length > 0) {
      rejects ??= await conn.createAppender(REJECTS_TABLE, 'main', 'temp');
      for (const { column, problem } of problems) {
        rejects.appendBigInt(BigInt(line.number));
        rejects.appendVarchar(column.header);
        rejects.appendVarchar(problem.raw);
        rejects.appendVarchar(problem.reason);
        rejects.endRow();
      }
      return;
    }
    appender!.appendBigInt(BigInt(line.number));
    for (const column of kept) {
      const value = values[column.index];
      if (value === null || value === undefined) appender!.appendNull();
      else appender!.appendVarchar(value);
    }
    appender!.endRow();
  };

  try {
    for await (const row of rows) {
      const line: SheetLine = { number: row.number, texts: [], unreadable: new Map() };
      row.eachCell((cell, column) => {
        const text = cellText(cell.value, cell.numFmt, date1904);
        if (text !== null && typeof text === 'object') line.unreadable.set(column, text);
        else line.texts[column] = text;
      });
      if (appender) {
        await addRow(line);
        continue;
      }
      if (filledColumns(line).length === 0) continue;
      pending.push(line);
      const given = options.headerRow;
      if (given !== undefined ? line.number >= given : pending.length >= HEADER_SEARCH_ROWS) await chooseHeader();
    }
    if (!appender) await chooseHeader();
  } finally {
    appender?.closeSync();
    rejects?.closeSync();
  }
  if (appender) {
    await nameColumns(conn, kept);
  } else {
    kept = chooseColumns(file, headers, options.selectColumns); // no header row: an empty sheet
    await createEmptySource(conn, kept);
  }
  return { format: 'xlsx', encoding: null, headers, header, kept: kept.map((c) => c.header), rowsRead };
}

/** Sheet columns (1-based) of the row's non-empty cells. */
function filledColumns(line: SheetLine): number[] {
  const columns = line.texts.flatMap((text, column) => (text !== null && text !== undefined && text.trim() !== '' ? [column] : []));
  return [...columns, ...line.unreadable.keys()].sort((a, b) => a - b);
}

/** The row's cells from its first to its last value, as header names. */
function rowHeaders(line: SheetLine): string[] {
  const filled = filledColumns(line);
  return range(filled[0]!, filled.at(-1)!).map((column) => line.texts[column]?.trim() ?? line.unreadable.get(column)?.raw ?? '');
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A cell that cannot be staged as text: a date whose serial stands for no day. */
export interface UnreadableCell {
  raw: string;
  reason: string;
}

/** A cell's value as text, or null for an empty cell. */
export function cellText(value: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): string | null | UnreadableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    return isDateFormat(numFmt) ? serialText(value, date1904) : String(value);
  }
  // exceljs turns a cell in one of its date formats into a Date itself, by a rule wrong before 1900-03-01.
  if (value instanceof Date) return serialText(exceljsDateSerial(value, date1904), date1904);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return value.error;
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue, undefined, date1904);
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null, numFmt, date1904);
  return null;
}

/** A date serial as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.sss] when there is a time of day (no zone, as Excel has none). */
function serialText(serial: number, date1904: boolean): string | UnreadableCell {
  const reading = excelSerialDate(serial, date1904);
  if ('reason' in reading) return { raw: String(serial), reason: reading.reason };
  const iso = reading.date.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
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
function addEastAsianDateFormats(reader: PartReaders): void {
  const numFmt = reader.styles?.index?.numFmt;
  if (!numFmt) return;
  for (const id of [...range(27, 31), ...range(34, 36), ...range(50, 58)]) numFmt[id] ??= 'yyyy-mm-dd';
  for (const id of [32, 33]) numFmt[id] ??= 'h:mm:ss';
}
