// CSV for staff to open in a spreadsheet (impact rejects --out). The cells are raw values from source
// files, so a cell such as =HYPERLINK(…) or +cmd|' /C calc'!A0 would run as a formula when opened.
// Following OWASP's CSV-injection guidance, every text cell that starts with = + - @, tab or CR (or
// their full-width forms, which Japanese Excel also reads as formula signs) gets a leading single
// quote: the spreadsheet shows the text instead of running it. The values are raw text, not numbers,
// so this includes text such as "-5" (shown as '-5: the value as the file held it, quoted).
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

export const SPREADSHEET_ENCODINGS = ['utf-8-bom', 'utf-8', 'shift_jis'] as const;
export type SpreadsheetEncoding = (typeof SPREADSHEET_ENCODINGS)[number];

const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** A text cell a spreadsheet shows as text, never runs. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function parseSpreadsheetEncoding(text: string): SpreadsheetEncoding {
  if (!(SPREADSHEET_ENCODINGS as readonly string[]).includes(text)) throw new Error(`--encoding must be ${SPREADSHEET_ENCODINGS.join(', ')}, not "${text}".`);
  return text as SpreadsheetEncoding;
}

/**
 * The rows as CSV bytes in `encoding`. UTF-8 with a BOM is what Excel (Japanese Excel included) needs
 * to read UTF-8; Shift_JIS (as CP932, what Japanese Windows and Excel use) is for older tools. A character Shift_JIS cannot hold is refused rather
 * than written as "?", so no value is changed unseen.
 */
export function spreadsheetCsv(rows: Record<string, unknown>[], encoding: SpreadsheetEncoding, file: string): Buffer {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const cells = rows.map((row) => Object.fromEntries(columns.map((c) => [c, typeof row[c] === 'string' ? neutraliseFormula(row[c]) : row[c]])));
  const text = stringify(cells, { header: true, columns, cast: { boolean: (b) => String(b) } });
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-8-bom') return Buffer.from(`\uFEFF${text}`, 'utf8');
  // In CP932 the yen sign is byte 0x5C (which Unicode maps to the backslash): Japanese Windows shows it as ¥.
  const yen = text.replaceAll('¥', '\\');
  const bytes = iconv.encode(yen, 'cp932');
  if (iconv.decode(bytes, 'cp932') !== yen) {
    throw new Error(`${file} was not written: some values hold characters Shift_JIS cannot represent; use --encoding utf-8-bom.`);
  }
  return bytes;
}

/**
 * Writes `bytes` to `file` readable by the owner only: a new file created with mode 600 (never
 * wider, not even for a moment, as a chmod after writing would be), renamed over `file` when whole.
 */
export function writeOwnerOnly(file: string, bytes: Buffer): void {
  // Said of the file people named: the system's own text would name the temporary file beside it.
  if (!existsSync(dirname(file))) throw new Error(`${file} was not written: the folder ${dirname(file)} does not exist.`);
  if (existsSync(file) && statSync(file).isDirectory()) throw new Error(`${file} was not written: it is a folder; give --out a file name, e.g. ${file}/rejects.csv.`);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
