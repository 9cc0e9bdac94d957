// Which row of a sheet or CSV file holds its header. Office files often put a title, a date or a note above the table
// ("支給明細 2026年4月"); the header is the row among the first ones with a value that fits the contract best (the
// loader scores a row with `headerFit`), or the row the mapping file gives (`header_row`). Rows above it are skipped.
import { readError } from './stage.ts';
import type { HeaderRow, ReadOptions } from './types.ts';

/** Rows with a value that are looked at for the header. */
export const HEADER_SEARCH_ROWS = 20;

export interface HeaderCandidate {
  /** Row number as a spreadsheet shows it (1-based). */
  row: number;
  headers: string[];
}

/**
 * The index in `candidates` (rows with a value, in order; at most HEADER_SEARCH_ROWS unless the row is given) of the
 * header, and how it was chosen; undefined for a file with no row.
 */
export function chooseHeaderRow(file: string, candidates: readonly HeaderCandidate[], options: Pick<ReadOptions, 'headerRow' | 'headerFit'>): { index: number; header: HeaderRow } | undefined {
  if (options.headerRow !== undefined) {
    const index = candidates.findIndex((c) => c.row === options.headerRow);
    if (index < 0) throw readError(file, `its row ${options.headerRow}, given as header_row in the mapping file, is empty or past the end of the file`);
    return { index, header: { row: options.headerRow, how: 'given' } };
  }
  if (candidates.length === 0) return undefined;
  let best: { index: number; fit: number } | undefined;
  if (options.headerFit) {
    candidates.slice(0, HEADER_SEARCH_ROWS).forEach((c, index) => {
      const fit = options.headerFit!(c.headers);
      if (fit !== null && (!best || fit > best.fit)) best = { index, fit };
    });
  }
  const index = best?.index ?? 0;
  return { index, header: { row: candidates[index]!.row, how: best ? 'found' : 'first' } };
}
