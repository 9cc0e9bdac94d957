// Stages a JSON file (an array of objects, or one object per line) with DuckDB's read_json.
//
// Each object is a row and each key a header (keys are collected from the whole file, in order of first
// appearance). Kept keys are read as VARCHAR, so strings stay as written, numbers and booleans become their JSON
// text, and nested objects and arrays become JSON text. Malformed JSON stops the read with DuckDB's message (which
// gives a byte offset and a line number); there is no per-record reject for JSON.
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, quotedString } from '../../sql.ts';
import { detectEncoding, readSample } from './detect.ts';
import { keepingFileOrder, numberRows } from './lines.ts';
import {
  SOURCE_TABLE, checkHeaders, chooseColumns, countRows, createEmptySource, createRejectsTable, describe, literalPath,
  nameColumns, readError, stagingName,
} from './stage.ts';
import { transcodeToUtf8 } from './transcode.ts';
import type { ReadOptions, SourceInfo } from './types.ts';

export async function readJson(conn: DuckDBConnection, file: string, options: ReadOptions, format: 'json' | 'ndjson'): Promise<SourceInfo> {
  const encoding = await detectEncoding(file, options.encoding);
  const path = encoding === 'utf-8' ? await literalPath(file, options.tempDir) : await transcodeToUtf8(file, encoding, options.tempDir);
  const jsonFormat = quotedString(format === 'ndjson' ? 'newline_delimited' : 'auto');
  await createRejectsTable(conn);
  if (await hasNoRecords(path)) {
    const kept = chooseColumns(file, [], options.selectColumns);
    await createEmptySource(conn, kept);
    return { format, encoding, headers: [], kept: [], rowsRead: 0 };
  }
  let columns;
  try {
    columns = await describe(conn, `SELECT * FROM read_json(${quotedString(path)}, format = ${jsonFormat}, records = true, sample_size = -1, map_inference_threshold = -1)`);
  } catch (error) {
    const detail = firstLine(error).replace(/^[A-Za-z ]*Error: /, '');
    const malformed = detail.startsWith('Malformed JSON');
    throw readError(file, `${malformed ? 'it is not valid JSON' : 'it is not a list of JSON objects'} (${detail})`, error);
  }
  const headers = columns.map((c) => c.name.replace(/^\uFEFF/, '').trim());
  checkHeaders(file, headers);
  const kept = chooseColumns(file, headers, options.selectColumns);
  const keys = kept.map((c) => `${quotedString(columns[c.index]!.name)}: 'VARCHAR'`);
  const source = kept.length > 0
    ? `read_json(${quotedString(path)}, format = ${jsonFormat}, records = true, columns = {${keys.join(', ')}})`
    : `read_json(${quotedString(path)}, format = ${jsonFormat}, records = true, sample_size = -1, map_inference_threshold = -1)`;
  const select = kept.map((c) => `${quotedIdentifier(columns[c.index]!.name)} AS ${quotedIdentifier(stagingName(c.index))}`);
  await keepingFileOrder(conn, () => conn.run(`CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SOURCE_TABLE)} AS SELECT ${['NULL::BIGINT AS _row', ...select].join(', ')} FROM ${source}`));
  await numberRows(conn, 1);
  await nameColumns(conn, kept);
  return { format, encoding, headers, kept: kept.map((c) => c.header), rowsRead: await countRows(conn, SOURCE_TABLE) };
}

/** True for a file that is empty, blank or an empty array. */
async function hasNoRecords(path: string): Promise<boolean> {
  const { sample, whole } = await readSample(path, 4096);
  if (!whole) return false;
  const text = sample.toString('utf8').replace(/^\uFEFF/, '').trim();
  return text === '' || /^\[\s*\]$/.test(text);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
