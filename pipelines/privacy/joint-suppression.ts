// Suppressing tables that are published together (the dashboard's data files): each table is suppressed
// on its own rules (disclosure.ts), but a cell hidden in one table may be printed in another (the
// flow's completers of a track are the funnel's), or recovered from another's total. So:
// - a count that another table publishes with the same value (a declared sum of one part) is pinned:
//   complementary suppression hides other cells first, since hiding it would hide nothing;
// - then the attacker (differencing.ts) reads all the tables together, and every subtraction that
//   still gives something away gets one more cell hidden (the smallest published cell it used),
//   until none does.
import { cellId, differencingViolations, relationsOf, type Cell } from './differencing.ts';
import { numeric, suppressTable, suppressionK, type PublishedTable, type Row, type SuppressionSpec } from './disclosure.ts';

export interface TableInput { rows: Row[]; spec: SuppressionSpec }

/** How often the attacker may be asked; each round hides at least one more cell, so this is only a guard. */
const MAX_ROUNDS = 200;

/** The tables as they are before suppression, with their declarations: what the linkage is read from. */
function unsuppressed(inputs: Record<string, TableInput>): Record<string, PublishedTable> {
  return Object.fromEntries(Object.entries(inputs).map(([name, { rows, spec }]) => [name, {
    k: spec.k ?? suppressionK(), cells: spec.cells, margins: spec.margins ?? [], sums: spec.sums ?? [], series: spec.series ?? [],
    rows, suppressed: { primary: 0, complementary: 0 },
  }]));
}

/** Counts published in two tables with the same value, both at least k: shown in both or hidden in both. */
function pinnedCells(tables: Record<string, PublishedTable>): Map<string, Cell[]> {
  const pinned = new Map<string, Cell[]>();
  const add = (c: Cell) => pinned.set(c.table, [...(pinned.get(c.table) ?? []), c]);
  for (const r of relationsOf(tables)) {
    if (r.parts.length !== 1 || r.parts[0]!.table === r.total.table) continue;
    const cells = [r.parts[0]!, r.total];
    if (cells.every((c) => (numeric(tables[c.table]!.rows[c.row]![c.column]) ?? 0) >= r.k)) cells.forEach(add);
  }
  return pinned;
}

/**
 * Suppresses tables published together so that no subtraction across them gives anything away;
 * throws if that cannot be reached (the caller's final check would refuse the output anyway).
 */
export function suppressTogether(inputs: Record<string, TableInput>): Record<string, PublishedTable> {
  const pinned = pinnedCells(unsuppressed(inputs));
  const forced = new Map<string, Cell[]>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const tables = Object.fromEntries(Object.entries(inputs).map(([name, { rows, spec }]) =>
      [name, suppressTable(rows, spec, { pinned: pinned.get(name), forced: forced.get(name) })]));
    const violations = differencingViolations(tables);
    if (violations.length === 0) return tables;
    const already = new Set([...forced.values()].flat().map(cellId));
    let added = 0;
    for (const v of violations) {
      // One cell per subtraction: the smallest published cell it used that is not pinned, else any.
      const open = v.remedy.filter((c) => !already.has(cellId(c)));
      const cell = open.find((c) => !pinned.get(c.table)?.some((p) => cellId(p) === cellId(c))) ?? open[0];
      if (!cell) continue;
      forced.set(cell.table, [...(forced.get(cell.table) ?? []), cell]);
      already.add(cellId(cell));
      added++;
    }
    if (added === 0) return tables;
  }
  throw new Error(`Suppression of tables published together did not settle in ${MAX_ROUNDS} rounds.`);
}
