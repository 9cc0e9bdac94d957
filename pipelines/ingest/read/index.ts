// Reads one source file into two TEMP tables on the connection, as text, for the loader to validate in SQL:
// `_source` (_row BIGINT, then one VARCHAR column per kept header) and `_source_rejects` (lines that could not be
// read: _row, column_name, raw_value, reason). See types.ts for the options and the result.
import type { DuckDBConnection } from '@duckdb/node-api';
import { readCsv } from './csv.ts';
import { detectFormat } from './detect.ts';
import { readJson } from './json.ts';
import { readParquet } from './parquet.ts';
import { SourceReadError, readError } from './stage.ts';
import type { ReadOptions, SourceInfo } from './types.ts';
import { readXlsx } from './xlsx.ts';

export { SourceReadError } from './stage.ts';
export type { ReadOptions, SourceFormat, SourceInfo } from './types.ts';

export async function readSource(conn: DuckDBConnection, file: string, options: ReadOptions): Promise<SourceInfo> {
  const format = detectFormat(file);
  try {
    switch (format) {
      case 'csv':
        return await readCsv(conn, file, options);
      case 'xlsx':
        return await readXlsx(conn, file, options);
      case 'parquet':
        return await readParquet(conn, file, options);
      case 'json':
      case 'ndjson':
        return await readJson(conn, file, options, format);
    }
  } catch (error) {
    if (error instanceof SourceReadError) throw error;
    throw readError(file, describeFailure(error), error);
  }
}

/** The first line of an underlying error, in words a person can act on where the cause is common. */
function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission to read the file was denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
