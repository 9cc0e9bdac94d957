// Stages a Parquet file: each kept column cast to text, `_row` from the file's own row numbers.
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, quotedString } from '../../sql.ts';
import {
  SOURCE_TABLE, checkHeaders, chooseColumns, countRows, createRejectsTable, describe, literalPath, nameColumns,
  stagingName, type TypedColumn,
} from './stage.ts';
import type { ReadOptions, SourceInfo } from './types.ts';

export async function readParquet(conn: DuckDBConnection, file: string, options: ReadOptions): Promise<SourceInfo> {
  const path = await literalPath(file, options.tempDir);
  const columns = await describe(conn, `SELECT * FROM read_parquet(${quotedString(path)})`);
  const headers = columns.map((c) => c.name.replace(/^\uFEFF/, '').trim());
  checkHeaders(file, headers);
  const kept = chooseColumns(file, headers, options.selectColumns);
  await createRejectsTable(conn);
  const select = kept.map((c) => `${asText(columns[c.index]!)} AS ${quotedIdentifier(stagingName(c.index))}`);
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE ${quotedIdentifier(SOURCE_TABLE)} AS
    SELECT ${['(file_row_number + 1)::BIGINT AS _row', ...select].join(', ')}
    FROM read_parquet(${quotedString(path)}, file_row_number = true)`);
  await nameColumns(conn, kept);
  return { format: 'parquet', encoding: null, headers, kept: kept.map((c) => c.header), rowsRead: await countRows(conn, SOURCE_TABLE) };
}

/** SQL giving a typed column's value as text: dates and times as ISO 8601, nested values as JSON. */
export function asText(column: TypedColumn): string {
  const name = quotedIdentifier(column.name);
  const type = column.type.toUpperCase();
  if (type === 'VARCHAR') return name;
  if (type.startsWith('TIMESTAMP')) return `replace(CAST(${name} AS VARCHAR), ' ', 'T')`;
  if (/^(STRUCT|MAP|UNION)\b/.test(type) || /\[\d*\]$/.test(type) || type === 'JSON') return `CAST(to_json(${name}) AS VARCHAR)`;
  return `CAST(${name} AS VARCHAR)`;
}
