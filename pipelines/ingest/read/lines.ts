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
import { createReadStream } from 'node:fs';
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
      switch (state) {
        case FIELD_START:
          state = byte === QUOTE ? QUOTED : byte === delimiter ? FIELD_START : UNQUOTED;
          break;
        case UNQUOTED:
          if (byte === delimiter) state = FIELD_START;
          break;
        case QUOTE_IN_QUOTED:
          // "" is an escaped quote; a delimiter ends the field; anything else is an error DuckDB skips to the line end.
          state = byte === QUOTE ? QUOTED : byte === delimiter ? FIELD_START : SKIP_TO_LINE_END;
          break;
        default:
          break;
      }
    }
  }
  return blank;
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
