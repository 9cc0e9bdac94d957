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
  /** Row of the header (1-based, as a spreadsheet numbers rows), from the mapping file; found when absent. */
  headerRow?: number;
  /**
   * How well a row fits as the header (the loader asks the contract): null if it cannot be the header (a required
   * column is missing), else higher is better. Without it, or if no row fits, the first row with a value is the header.
   */
  headerFit?: (headers: string[]) => number | null;
}

/** The header's row (1-based), and how it was chosen: it fitted the contract best, the mapping gave it, or it was the first row with a value. */
export interface HeaderRow {
  row: number;
  how: 'found' | 'given' | 'first';
}

export interface SourceInfo {
  format: SourceFormat;
  /** The text encoding the file was read as ('utf-8', 'shift_jis', 'euc-jp', 'utf-16le', 'utf-16be'); null for binary formats. */
  encoding: string | null;
  headers: string[];
  /** Undefined for a file with no header (empty); JSON and Parquet have none either (their keys are the headers). */
  header?: HeaderRow;
  kept: string[];
  /** Data rows read, including the ones put in `_source_rejects`. */
  rowsRead: number;
}
