// Row numbers for rows read by DuckDB's CSV and JSON readers, which do not report where each good row came from.
//
// DuckDB keeps the file's order when it inserts into a table, so a good row's rowid is its ordinal among the good
// rows. Its line is then: first data line + ordinal + the lines before it that produced no row. Those are the
// rejected lines (DuckDB reports their numbers) and, for CSV, blank lines, which DuckDB skips without a word; they
// are found here by a scan of the file's bytes that follows quotes the way DuckDB does.
//
// "Line" means record, as DuckDB and Excel count: a quoted value spanning several lines is one record, so one
// row number, exactly as Excel shows it when the CSV is opened. In a file whose quoting is broken the scan may end a
// record where DuckDB does not; that can only shift row numbers in a file that also has blank lines.
import { createReadStream, createWriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier } from '../../sql.ts';
import { SOURCE_TABLE, tempTable } from './stage.ts';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Numbers of the blank lines of a CSV file, counting as DuckDB does (the first line is 1, a record with quoted line
 * breaks counts once). Most files have none: a quick search for two line breaks in a row settles that without the
 * byte-by-byte scan.
 */
export async function findBlankLines(path: string, delimiter: string): Promise<number[]> {
  if (!(await mayHaveBlankLines(path))) return [];
  return scanBlankLines(path, delimiter.charCodeAt(0));
}

const candidates = [Buffer.from('\n\n'), Buffer.from('\n\r\n'), Buffer.from('\r\r')];

async function mayHaveBlankLines(path: string): Promise<boolean> {
  let tail: Buffer | undefined; // last bytes of the previous chunk, to catch a candidate split between chunks
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    if (!tail && (chunk[0] === LF || chunk[0] === CR)) return true;
    if (candidates.some((c) => chunk.includes(c))) return true;
    if (tail && candidates.some((c) => Buffer.concat([tail!, chunk.subarray(0, 2)]).includes(c))) return true;
    tail = chunk.subarray(-2);
  }
  return false;
}

// Scanner states, as in DuckDB's CSV state machine (strict mode, quote and escape both ").
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const SKIP_TO_LINE_END = 4;

async function scanBlankLines(path: string, delimiter: number): Promise<number[]> {
  const blank: number[] = [];
  let line = 1;
  let state = FIELD_START;
  let empty = true; // nothing seen yet on this record
  let afterCR = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (afterCR) {
        afterCR = false;
        if (byte === LF) continue; // the LF of a CRLF
      }
      if (state === QUOTED) {
        if (byte === QUOTE) state = QUOTE_IN_QUOTED;
        continue;
      }
      if (byte === LF || byte === CR) {
        // Outside a quoted value, a line break ends the record (whatever state the record was in).
        if (empty) blank.push(line);
        line++;
        state = FIELD_START;
        empty = true;
        afterCR = byte === CR;
        continue;
      }
      empty = false;
      state = afterByte(state, byte, delimiter);
    }
  }
  return blank;
}

/** The scanner's state after `byte`, which is not a line break outside a quoted value. */
function afterByte(state: number, byte: number, delimiter: number): number {
  switch (state) {
    case QUOTED:
      return byte === QUOTE ? QUOTE_IN_QUOTED : QUOTED;
    case FIELD_START:
      return byte === QUOTE ? QUOTED : byte === delimiter ? FIELD_START : UNQUOTED;
    case UNQUOTED:
      return byte === delimiter ? FIELD_START : UNQUOTED;
    case QUOTE_IN_QUOTED:
      // "" is an escaped quote; a delimiter ends the field; anything else is an error DuckDB skips to the line end.
      return byte === QUOTE ? QUOTED : byte === delimiter ? FIELD_START : SKIP_TO_LINE_END;
    default:
      return state;
  }
}

/** True for DuckDB's refusal of a CSV file whose lines end in different ways (CRLF, LF, a lone CR). */
export function isMixedLineBreakError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('CSV Parser state machine reached an invalid state');
}

/**
 * A copy of a UTF-8 CSV file in `tempDir` (owner-only) whose lines all end in LF, for DuckDB, which refuses a file
 * that mixes CRLF, LF and lone CRs. The rule is the one the line numbers already follow (scanBlankLines, and Excel):
 * outside a quoted value, CRLF, LF and a lone CR (as Excel for Mac wrote) each end a line, and become one LF, so
 * every line keeps its number; inside a quoted value they are data and stay as written.
 */
export async function copyWithLfLineBreaks(path: string, delimiter: string, tempDir: string): Promise<string> {
  const target = join(tempDir, `source-${randomUUID()}.lf.csv`);
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), new LfLineBreaks(delimiter.charCodeAt(0)), createWriteStream(target, { mode: 0o600 }));
  return target;
}

class LfLineBreaks extends Transform {
  private state = FIELD_START;
  private afterCR = false;

  constructor(private readonly delimiter: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.afterCR) {
        this.afterCR = false;
        if (byte === LF) continue; // the LF of a CRLF, already written
      }
      if (this.state !== QUOTED && (byte === LF || byte === CR)) {
        out[n++] = LF;
        this.state = FIELD_START;
        this.afterCR = byte === CR;
        continue;
      }
      out[n++] = byte;
      this.state = afterByte(this.state, byte, this.delimiter);
    }
    callback(null, out.subarray(0, n));
  }
}

/**
 * Runs `fn` with DuckDB inserting rows in the order it reads them. That is DuckDB's default (preserve_insertion_order),
 * and row numbering relies on it, so a connection that turned it off has it turned on for the read, then off again.
 */
export async function keepingFileOrder<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  const reader = await conn.runAndReadAll(`SELECT current_setting('preserve_insertion_order')::BOOLEAN`);
  if (reader.getRows()[0]?.[0] === true) return fn();
  await conn.run('SET preserve_insertion_order = true');
  try {
    return await fn();
  } finally {
    await conn.run('SET preserve_insertion_order = false');
  }
}

/**
 * Sets `_source._row` for rows inserted in file order: `firstLine` for the first row, then one more per row, jumping
 * over `skippedLinesTable`'s lines (a TEMP table with one BIGINT column `line`).
 */
export async function numberRows(conn: DuckDBConnection, firstLine: number, skippedLinesTable?: string): Promise<void> {
  if (!Number.isSafeInteger(firstLine)) throw new Error(`numberRows: bad first line ${firstLine}`);
  const source = tempTable(SOURCE_TABLE);
  await conn.run(`UPDATE ${source} SET _row = rowid + ${firstLine}`);
  if (skippedLinesTable === undefined) return;
  // For the j-th skipped line L (in order), (L - firstLine) - (j - 1) good rows come before it; a good row with
  // ordinal k is pushed down by the number of skipped lines whose count of good rows before them is <= k.
  const gaps = tempTable('_source_gaps');
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE ${quotedIdentifier('_source_gaps')} AS
    SELECT good_before, max(skipped) AS skipped
    FROM (
      SELECT line - ${firstLine} - (row_number() OVER (ORDER BY line) - 1) AS good_before, row_number() OVER (ORDER BY line) AS skipped
      FROM (SELECT DISTINCT line FROM ${tempTable(skippedLinesTable)} WHERE line >= ${firstLine})
    )
    GROUP BY good_before`);
  await conn.run(`
    UPDATE ${source} SET _row = _row + shift.skipped
    FROM (SELECT s.rowid AS ordinal, g.skipped FROM ${source} AS s ASOF JOIN ${gaps} AS g ON s.rowid >= g.good_before) AS shift
    WHERE ${source}.rowid = shift.ordinal`);
  await conn.run(`DROP TABLE ${gaps}`);
}
