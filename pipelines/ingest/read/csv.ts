// Stages a CSV file with DuckDB's own reader (read_csv), so a large file loads at DuckDB's speed.
//
// Lines DuckDB cannot read (wrong number of fields, broken quoting, bytes invalid in the encoding) are kept out of
// `_source` and copied from DuckDB's reject tables into `_source_rejects`. Their raw text is copied only when every
// column of the file is kept: a broken line cannot be split reliably, so otherwise it could carry a column that
// must not enter DuckDB (a name, a phone number).
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, quotedString, sqlList } from '../../sql.ts';
import { readCsvHead } from './csv-header.ts';
import { detectEncoding, encodingLabel, type TextEncoding } from './detect.ts';
import { copyWithLfLineBreaks, findBlankLines, isMixedLineBreakError, keepingFileOrder, numberRows } from './lines.ts';
import {
  REJECTS_TABLE, SOURCE_TABLE, STAGING_PREFIX, checkHeaders, chooseColumns, countRows, createEmptySource, createRejectsTable,
  literalPath, stagingName, tempTable, type KeptColumn,
} from './stage.ts';
import { transcodeToUtf8 } from './transcode.ts';
import type { ReadOptions, SourceInfo } from './types.ts';

const ERRORS_TABLE = '_source_csv_errors';
const SCANS_TABLE = '_source_csv_scans';
const SKIPPED_TABLE = '_source_skipped_lines';

export async function readCsv(conn: DuckDBConnection, file: string, options: ReadOptions): Promise<SourceInfo> {
  const encoding = await detectEncoding(file, options.encoding);
  const path = encoding === 'utf-8' ? await literalPath(file, options.tempDir) : await transcodeToUtf8(file, encoding, options.tempDir);
  const { headers, delimiter, headerLine, header } = await readCsvHead(file, path, options);
  checkHeaders(file, headers);
  const kept = chooseColumns(file, headers, options.selectColumns);
  const info = { format: 'csv' as const, encoding, headers, header, kept: kept.map((c) => c.header) };
  await createRejectsTable(conn);
  if (headers.length === 0) {
    await createEmptySource(conn, kept);
    return { ...info, rowsRead: 0 };
  }
  const stage = async (path: string) => {
    await dropWorkTables(conn);
    // DuckDB reads the file on its own threads while this one looks for blank lines.
    const [blankLines] = await Promise.all([
      findBlankLines(path, delimiter),
      keepingFileOrder(conn, () => conn.run(`
        CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SOURCE_TABLE)} AS
        SELECT ${['NULL::BIGINT AS _row', ...kept.map((c) => `${quotedIdentifier(stagingName(c.index))} AS ${quotedIdentifier(c.header)}`)].join(', ')}
        FROM read_csv(${quotedString(path)},
          auto_detect = false, header = true, skip = ${headerLine - 1},
          delim = ${quotedString(delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false,
          columns = {${headers.map((_, i) => `${quotedString(stagingName(i))}: 'VARCHAR'`).join(', ')}},
          store_rejects = true, rejects_table = ${quotedString(ERRORS_TABLE)}, rejects_scan = ${quotedString(SCANS_TABLE)})`)),
    ]);
    const rejectedLines = await copyRejects(conn, headers, kept, encoding);
    const blankDataLines = blankLines.filter((line) => line > headerLine);
    const skipped = rejectedLines + blankDataLines.length > 0 ? await collectSkippedLines(conn, blankDataLines) : undefined;
    await numberRows(conn, headerLine + 1, skipped);
  };
  try {
    try {
      await stage(path);
    } catch (error) {
      // Lines ending in different ways (DuckDB refuses the whole file): read a copy with LF line breaks instead. Only
      // such files pay for the copy; DuckDB's refusal is the test, so a clean file costs no scan of its own.
      if (!isMixedLineBreakError(error)) throw error;
      await stage(await copyWithLfLineBreaks(path, delimiter, options.tempDir));
    }
  } finally {
    await dropWorkTables(conn);
  }
  const counted = await conn.runAndReadAll(`SELECT (SELECT count(*) FROM ${tempTable(SOURCE_TABLE)}) + (SELECT count(*) FROM ${tempTable(REJECTS_TABLE)})`);
  return { ...info, rowsRead: Number(counted.getRows()[0]![0]) };
}

/** A TEMP table of the lines that gave no row (rejected or blank), or undefined if there are none. */
async function collectSkippedLines(conn: DuckDBConnection, blankLines: readonly number[]): Promise<string | undefined> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SKIPPED_TABLE)} AS SELECT DISTINCT line::BIGINT AS line FROM ${tempTable(ERRORS_TABLE)}`);
  if (blankLines.length > 0) {
    const appender = await conn.createAppender(SKIPPED_TABLE, 'main', 'temp');
    for (const line of blankLines) {
      appender.appendBigInt(BigInt(line));
      appender.endRow();
    }
    appender.closeSync();
  }
  return (await countRows(conn, SKIPPED_TABLE)) > 0 ? SKIPPED_TABLE : undefined;
}

async function dropWorkTables(conn: DuckDBConnection): Promise<void> {
  await conn.run([ERRORS_TABLE, SCANS_TABLE, SKIPPED_TABLE].map((table) => `DROP TABLE IF EXISTS ${tempTable(table)};`).join('\n'));
}

/** One row per rejected line, with reasons a person understands; returns the number of lines rejected. */
async function copyRejects(conn: DuckDBConnection, headers: readonly string[], kept: readonly KeptColumn[], encoding: TextEncoding): Promise<number> {
  const allKept = kept.length === headers.length;
  const rawLine = `trim(csv_line, chr(13) || chr(10))`;
  const fieldCount = `'line has ' || found || ' fields but the header has ${headers.length}'`;
  // DuckDB reports a column by its staging name (" c<index>"); say which header it is.
  const columnHeader = `list_extract([${sqlList(headers)}], TRY_CAST(substr(min(column_name), ${STAGING_PREFIX.length + 1}) AS INTEGER) + 1)`;
  const inserted = await conn.run(`
    INSERT INTO ${tempTable(REJECTS_TABLE)}
    WITH errors AS (
      SELECT line, error_type,
        min(CASE WHEN error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS') THEN NULL ELSE column_name END) AS column_name,
        -- DuckDB reports a short line once per missing field, counting up: the first report has the true count
        CASE WHEN error_type = 'MISSING COLUMNS' THEN min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT))
             ELSE max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS BIGINT)) END AS found,
        any_value(${rawLine}) AS raw_line,
        any_value(error_message) AS error_message
      FROM ${tempTable(ERRORS_TABLE)}
      GROUP BY line, error_type
    )
    SELECT line::BIGINT AS _row,
      coalesce(${columnHeader}, '(whole line)') AS column_name,
      ${allKept ? 'any_value(raw_line)' : 'NULL::VARCHAR'} AS raw_value,
      string_agg(CASE error_type
        WHEN 'MISSING COLUMNS' THEN ${fieldCount}
        WHEN 'TOO MANY COLUMNS' THEN ${fieldCount}
        WHEN 'UNQUOTED VALUE' THEN CASE WHEN contains(raw_line, chr(10))
          THEN 'a quoted value starting on this line is never closed, so this line and the '
            || (length(raw_line) - length(replace(raw_line, chr(10), '')))
            || CASE WHEN length(raw_line) - length(replace(raw_line, chr(10), '')) = 1 THEN ' line' ELSE ' lines' END
            || ' after it could not be read'
          ELSE 'a quoted value is not closed properly: a " is missing, or text follows the closing "' END
        WHEN 'INVALID ENCODING' THEN ${quotedString(`line contains bytes that are not valid ${encodingLabel(encoding)}`)}
        WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line is too long to read (over the maximum line size)'
        -- DuckDB's own message can quote the line, and reasons reach the warehouse: name the error type only.
        ELSE 'line could not be read (' || lower(error_type) || ')'
      END, '; ' ORDER BY error_type) AS reason
    FROM errors
    GROUP BY line
    ORDER BY line`);
  return Number(inserted.rowsChanged);
}
