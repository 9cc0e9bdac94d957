// The readers' contract with the loader: what it asks for (ReadOptions) and what it gets back (SourceInfo).

export type SourceFormat = 'csv' | 'xlsx' | 'parquet' | 'json' | 'ndjson';

export interface ReadOptions {
  /** Override: 'utf-8' | 'shift_jis' (aliases sjis, cp932, windows-31j) | 'euc-jp'. */
  encoding?: string;
  /** xlsx sheet name; default the first worksheet. */
  sheet?: string;
  /** An owner-only folder where transcoded copies may be written (the caller deletes it: see ingest/scratch.ts). */
  tempDir: string;
  /**
   * Given the file's headers (exactly as written, after BOM removal and trimming), returns the headers to keep.
   * Only these are ever materialised: other columns (e.g. a name or phone column) must never be copied into DuckDB.
   */
  selectColumns: (headers: string[]) => string[];
}

export interface SourceInfo {
  format: SourceFormat;
  /** The text encoding the file was read as ('utf-8', 'shift_jis', 'euc-jp', 'utf-16le', 'utf-16be'); null for binary formats. */
  encoding: string | null;
  headers: string[];
  kept: string[];
  /** Data rows read, including the ones put in `_source_rejects`. */
  rowsRead: number;
}
