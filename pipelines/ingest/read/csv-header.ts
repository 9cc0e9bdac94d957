// The header of a UTF-8 CSV file and its delimiter, read from the first bytes of the file.
//
// DuckDB's sniffer is not used: on a file with a broken line it can settle on a wrong dialect (no quoting, or no
// delimiter at all), and it renames duplicate or empty headers, which must be reported instead. The delimiter is the
// candidate (comma, tab, semicolon) that splits the header into several fields and the most following lines into
// the same number of fields.
import { readSample } from './detect.ts';
import { readError } from './stage.ts';

export const DELIMITERS = [',', '\t', ';'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvHead {
  /** Header names, trimmed; empty for an empty file. */
  headers: string[];
  delimiter: Delimiter;
  /** Line of the header (1 unless blank lines come first). */
  headerLine: number;
}

/** Lines compared with the header to choose the delimiter. */
const SAMPLE_RECORDS = 50;
const HEAD_BYTES = [1 << 20, 16 << 20, 64 << 20];

export async function readCsvHead(file: string, path: string): Promise<CsvHead> {
  for (const bytes of HEAD_BYTES) {
    const { sample, whole } = await readSample(path, bytes);
    const text = new TextDecoder('utf-8').decode(sample, { stream: !whole }).replace(/^\uFEFF/, '');
    const head = headFromText(text, whole);
    if (head) return head;
  }
  throw readError(file, `its first line does not end within ${HEAD_BYTES.at(-1)! >> 20} MB; is a quote (") left open in the header?`);
}

/** The head of the file from its first characters, or null if the header does not end within them. */
function headFromText(text: string, whole: boolean): CsvHead | null {
  const choices = DELIMITERS.map((delimiter) => {
    const { records, leadingBlank } = parseRecords(text, delimiter, whole, SAMPLE_RECORDS + 1);
    const [header, ...rest] = records;
    const width = header?.length ?? 0;
    return { delimiter, header, leadingBlank, width, matching: rest.filter((r) => r.length === width).length, lines: rest.length };
  });
  const first = choices[0]!;
  if (!first.header) return whole ? { headers: [], delimiter: ',', headerLine: first.leadingBlank + 1 } : null;
  const split = choices.filter((c) => c.width > 1);
  // Several fields: the delimiter most lines agree with (then the one giving more fields). One field: any delimiter
  // that splits no line, so values are never cut.
  const best = split.length > 0
    ? split.reduce((a, b) => (b.matching > a.matching || (b.matching === a.matching && b.width > a.width) ? b : a))
    : (choices.find((c) => c.matching === c.lines) ?? first);
  return { headers: best.header!.map((h) => h.trim()), delimiter: best.delimiter, headerLine: best.leadingBlank + 1 };
}

/**
 * Up to `limit` non-blank records of `text`, split on `delimiter` with quotes as DuckDB reads them (a quote opens a
 * value only at its start, "" inside quotes is a quote), and the number of blank lines before the first record.
 * A record cut off at the end of a partial sample is left out.
 */
function parseRecords(text: string, delimiter: string, whole: boolean, limit: number): { records: string[][]; leadingBlank: number } {
  const records: string[][] = [];
  let leadingBlank = 0;
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted value
  let atFieldStart = true;
  let empty = true;
  const endRecord = () => {
    if (empty) {
      if (records.length === 0) leadingBlank++;
    } else {
      fields.push(field);
      records.push(fields);
    }
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
  return { records, leadingBlank };
}
