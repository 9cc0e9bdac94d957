// The header of a UTF-8 CSV file and its delimiter, read from the first bytes of the file.
//
// DuckDB's sniffer is not used: on a file with a broken line it can settle on a wrong dialect (no quoting, or no
// delimiter at all), and it renames duplicate or empty headers, which must be reported instead. For each of the first
// lines that could be the header (header-row.ts chooses among them), the delimiter is the candidate (comma, tab,
// semicolon) that splits that line into several fields and the most following lines into the same number of fields.
import { readSample } from './detect.ts';
import { HEADER_SEARCH_ROWS, chooseHeaderRow, type HeaderCandidate } from './header-row.ts';
import { readError } from './stage.ts';
import type { HeaderRow, ReadOptions } from './types.ts';

export const DELIMITERS = [',', '\t', ';'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvHead {
  /** Header names, trimmed; empty for an empty file. */
  headers: string[];
  delimiter: Delimiter;
  /** Line of the header (1 unless blank lines or a title come first). */
  headerLine: number;
  /** Undefined for an empty file. */
  header?: HeaderRow;
}

/** Lines compared with the header to choose the delimiter. */
const SAMPLE_RECORDS = 50;
const HEAD_BYTES = [1 << 20, 16 << 20, 64 << 20];

type HeaderOptions = Pick<ReadOptions, 'headerRow' | 'headerFit'>;

export async function readCsvHead(file: string, path: string, options: HeaderOptions = {}): Promise<CsvHead> {
  for (const bytes of HEAD_BYTES) {
    const { sample, whole } = await readSample(path, bytes);
    const text = new TextDecoder('utf-8').decode(sample, { stream: !whole }).replace(/^\uFEFF/, '');
    const head = headFromText(file, text, whole, options);
    if (head) return head;
  }
  throw readError(file, `its first line does not end within ${HEAD_BYTES.at(-1)! >> 20} MB; is a quote (") left open in the header?`);
}

/** The head of the file from its first characters, or null if the header does not end within them. */
function headFromText(file: string, text: string, whole: boolean, options: HeaderOptions): CsvHead | null {
  const searched = (options.headerRow ?? HEADER_SEARCH_ROWS) + SAMPLE_RECORDS + 1;
  const parsed = DELIMITERS.map((delimiter) => ({ delimiter, records: parseRecords(text, delimiter, whole, searched) }));
  const rows = parsed[0]!.records.map((r) => r.line);
  const given = options.headerRow;
  // A partial sample must hold the header; a longer one is read if it may not.
  if (!whole && (rows.length === 0 || (given !== undefined && !rows.some((row) => row >= given)))) return null;
  const candidates = rows.map((line) => ({ line, ...delimiterFor(parsed, line) }));
  const chosen = chooseHeaderRow(file, candidates.map((c): HeaderCandidate => ({ row: c.line, headers: c.headers })), options);
  if (!chosen) return { headers: [], delimiter: ',', headerLine: 1 };
  const { delimiter, headers } = candidates[chosen.index]!;
  return { headers, delimiter, headerLine: chosen.header.row, header: chosen.header };
}

/** The delimiter if the header is on `line`, and the header it gives. */
function delimiterFor(parsed: ReadonlyArray<{ delimiter: Delimiter; records: CsvRecord[] }>, line: number): { delimiter: Delimiter; headers: string[] } {
  const choices = parsed.flatMap(({ delimiter, records }) => {
    const at = records.findIndex((r) => r.line === line);
    if (at < 0) return [];
    const [header, ...rest] = records.slice(at, at + SAMPLE_RECORDS + 1).map((r) => r.fields);
    const width = header!.length;
    return [{ delimiter, header: header!, width, matching: rest.filter((r) => r.length === width).length, lines: rest.length }];
  });
  const split = choices.filter((c) => c.width > 1);
  // Several fields: the delimiter most lines agree with (then the one giving more fields). One field: any delimiter
  // that splits no line, so values are never cut.
  const best = split.length > 0
    ? split.reduce((a, b) => (b.matching > a.matching || (b.matching === a.matching && b.width > a.width) ? b : a))
    : (choices.find((c) => c.matching === c.lines) ?? choices[0]!);
  return { delimiter: best.delimiter, headers: best.header.map((h) => h.trim()) };
}

interface CsvRecord {
  fields: string[];
  /** Its row as a spreadsheet numbers it (1-based): a blank line is a row, a value quoted over several lines is in one. */
  line: number;
}

/**
 * Up to `limit` non-blank records of `text`, split on `delimiter` with quotes as DuckDB reads them (a quote opens a
 * value only at its start, "" inside quotes is a quote), each with the line it starts on. A record cut off at the end
 * of a partial sample is left out.
 */
function parseRecords(text: string, delimiter: string, whole: boolean, limit: number): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1; // of the record being read
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted value
  let atFieldStart = true;
  let empty = true;
  const endRecord = () => {
    if (!empty) {
      fields.push(field);
      records.push({ fields, line });
    }
    line++;
    fields = [];
    field = '';
    atFieldStart = true;
    empty = true;
  };
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      continue;
    }
    empty = false;
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (whole && !empty && records.length < limit && !quoted) endRecord();
  return records;
}
