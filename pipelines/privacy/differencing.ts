// The attacker's side of disclosure control. Given everything published together (every dashboard
// data file; a PDF's breakdown tables with the totals printed beside them), it tries the subtractions a
// reader would make and lists what they give away:
// - a group of rows that adds up to a total published anywhere (the same table's margin, a row of
//   another table, an overall count): the total minus the shown parts is what the hidden parts add up
//   to, which must be 0 or at least k; a single hidden part, or a hidden total, is recovered exactly
//   (and then used in further subtractions, until nothing more can be recovered);
// - a series read in order (counts to date, the number still at risk along a survival curve): the change
//   between consecutive published values must be 0 or at least k.
// The linkage is what the tables declare (SuppressionSpec.sums and .series), plus a search of its own:
// in a table with a `breakdown` column, every breakdown's groups are tried against the table's `all`
// rows, or, in a table without them, against the same counts in any one-row table (the overview).
// The rules and the attacker model are in docs/disclosure-control.md.
import {
  additiveColumns, compareAlong, disclosureViolations, groupRows, numeric, rowMatches, sumColumns, totalKey,
  type PublishedTable, type Row, type SumDeclaration,
} from './disclosure.ts';

/** One thing a reader can work out from what is published. */
export interface Violation {
  /** The table holding the hidden cells (or the series). */
  table: string;
  /** Which group or series, as the attacker would describe it. */
  group: string;
  /** What the subtraction gives: the value of a hidden cell, or what several hidden cells add up to. */
  recovered: number;
  message: string;
  /** The published cells whose hiding would stop this subtraction (for joint suppression), smallest first. */
  remedy: Cell[];
}

/** One published value: a table's row and column. */
export interface Cell { table: string; row: number; column: string }
/** Cells that add up: the parts to the total. */
export interface Relation {
  label: string;
  total: Cell;
  parts: Cell[];
  k: number;
  /** Further cells the total is the sum of, with `total` (another breakdown of the same people: SumDeclaration.total.sumOf). */
  more?: Cell[];
}

/** The cells whose sum is a relation's total. */
const totalsOf = (r: Relation): Cell[] => [r.total, ...(r.more ?? [])];

export const cellId = (c: Cell) => `${c.table}\u0000${c.row}\u0000${c.column}`;
const where = (values: Record<string, unknown>) => Object.entries(values).map(([c, v]) => `${c} = ${String(v)}`).join(', ') || 'all rows';

/** The dimension columns of a table: those that are not published values. */
const dimensions = (table: PublishedTable) => Object.keys(table.rows[0] ?? {}).filter((c) => !(c in table.cells));
const rowText = (tables: Record<string, PublishedTable>, c: Cell) => {
  const table = tables[c.table]!;
  const row = table.rows[c.row]!;
  const dims = Object.fromEntries(dimensions(table).map((d) => [d, row[d]]));
  return `${c.table} (${where(dims)}) ${c.column}`;
};

/** The declared sums of every table whose total's table is also in the set. */
function declaredRelations(tables: Record<string, PublishedTable>): Relation[] {
  const relations: Relation[] = [];
  for (const [name, table] of Object.entries(tables)) {
    for (const sum of table.sums ?? []) {
      const totalName = sum.total.table ?? name;
      const totalTable = tables[totalName];
      if (!totalTable) continue;
      relations.push(...sumRelations(name, table, totalName, totalTable, sum));
    }
  }
  return relations;
}

function sumRelations(name: string, table: PublishedTable, totalName: string, totalTable: PublishedTable, sum: SumDeclaration): Relation[] {
  const parts = groupRows(table.rows, sum.by, sum.parts);
  const relations: Relation[] = [];
  if (sum.total.sumOf) {
    // The total is the sum of the matching rows (another breakdown of the same people), per key.
    const totals = groupRows(totalTable.rows, sum.by.map((c) => sum.total.rename?.[c] ?? c), sum.total.where);
    for (const [key, members] of parts) {
      const rows = totals.get(key);
      if (!rows) continue;
      for (const [column, totalColumn] of sumColumns(sum, table.cells, totalTable.cells)) {
        if (!(totalColumn in totalTable.cells) || !(column in table.cells)) continue;
        const [first, ...rest] = rows.map((row) => ({ table: totalName, row, column: totalColumn }));
        relations.push({
          label: `${name} rows with ${where(sum.parts)}, ${column}, add up to the ${totalName} rows with ${where(sum.total.where ?? {})}, ${totalColumn}`,
          total: first!, more: rest, parts: members.map((r) => ({ table: name, row: r, column })), k: table.k,
        });
      }
    }
    return relations;
  }
  totalTable.rows.forEach((row, totalRow) => {
    if (!rowMatches(row, sum.total.where)) return;
    const key = totalKey(row, sum);
    const shared = Object.fromEntries(sum.by.map((c) => [c, row[sum.total.rename?.[c] ?? c]]));
    // A total with no parts published here says nothing about them (flow has no cohorts; no job yet has no next step).
    const members = parts.get(key);
    if (!members) return;
    for (const [column, totalColumn] of sumColumns(sum, table.cells, totalTable.cells)) {
      if (!(totalColumn in totalTable.cells) || !(column in table.cells)) continue;
      relations.push({
        label: `${name} rows with ${where(sum.parts)}${sum.by.length ? ` and ${where(shared)}` : ''}, ${column}, add up to ${totalName} (${where(sum.total.where ?? {})}) ${totalColumn}`,
        total: { table: totalName, row: totalRow, column: totalColumn },
        parts: members.map((r) => ({ table: name, row: r, column })),
        k: table.k,
      });
    }
  });
  return relations;
}

/** The checker's own search: each breakdown against the `all` rows, or against a one-row table's counts. */
function searchedRelations(tables: Record<string, PublishedTable>): Relation[] {
  const relations: Relation[] = [];
  const singles = Object.entries(tables).filter(([, t]) => t.rows.length === 1);
  for (const [name, table] of Object.entries(tables)) {
    if (!table.rows.some((r) => 'breakdown' in r)) continue;
    const by = dimensions(table).filter((d) => d !== 'breakdown' && d !== 'group_value');
    const families = [...new Set(table.rows.map((r) => r.breakdown))].filter((b) => b !== 'all');
    const hasAll = table.rows.some((r) => r.breakdown === 'all');
    for (const family of families) {
      const sum = { parts: { breakdown: family as string }, by, total: { where: { breakdown: 'all' } } };
      if (hasAll) relations.push(...sumRelations(name, table, name, table, sum));
      else if (by.length === 0) {
        for (const [single, t] of singles) {
          const shared = additiveColumns(table.cells).filter((c) => additiveColumns(t.cells).includes(c));
          const columns = Object.fromEntries(shared.map((c) => [c, c]));
          if (shared.length > 0) relations.push(...sumRelations(name, table, single, t, { parts: sum.parts, by: [], total: { columns } }));
        }
      }
    }
  }
  return relations;
}

/** Every sum the reader can subtract along: the declared ones and the checker's own search, each once. */
export function relationsOf(tables: Record<string, PublishedTable>): Relation[] {
  const seen = new Set<string>();
  return [...declaredRelations(tables), ...searchedRelations(tables)].filter((r) => {
    const key = [...totalsOf(r).map(cellId).sort(), '=', ...r.parts.map(cellId).sort()].join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The declared sums that do not hold, as sentences, in tables before suppression (nothing hidden): a
 * declaration the data contradict would make the checker subtract along a false linkage.
 */
export function sumsThatDoNotHold(tables: Record<string, PublishedTable>): string[] {
  const value = (c: Cell) => numeric(tables[c.table]!.rows[c.row]![c.column]) ?? 0;
  return declaredRelations(tables)
    .filter((r) => r.parts.reduce((a, c) => a + value(c), 0) !== totalsOf(r).reduce((a, c) => a + value(c), 0))
    .map((r) => `${r.label}: the parts add up to ${r.parts.reduce((a, c) => a + value(c), 0)}, the total is ${totalsOf(r).reduce((a, c) => a + value(c), 0)}`);
}

/** Everything a reader can subtract from the tables published together, by table name. */
export function differencingViolations(tables: Record<string, PublishedTable>): Violation[] {
  const violations: Violation[] = [];
  const relations = relationsOf(tables);

  // What the reader knows: every published value, then every value recovered from those (and how).
  const known = new Map<string, number>();
  const via = new Map<string, Relation>();
  const published = (c: Cell): number | null => numeric(tables[c.table]!.rows[c.row]![c.column]);
  const value = (c: Cell): number | null => known.get(cellId(c)) ?? published(c);
  // What to hide to stop a subtraction: its published cells (parts before the total, smallest first),
  // else those of the subtractions that recovered its cells.
  const remedy = (r: Relation, depth = 0): Cell[] => {
    const shown = (cells: Cell[]) => cells.filter((c) => published(c) !== null).sort((a, b) => published(a)! - published(b)!);
    const direct = [...shown(r.parts), ...shown(totalsOf(r))];
    if (direct.length > 0 || depth > 5) return direct;
    return [...totalsOf(r), ...r.parts].flatMap((c) => { const v = via.get(cellId(c)); return v && v !== r ? remedy(v, depth + 1) : []; });
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of relations) {
      const totals = totalsOf(r);
      const unknown = [...totals, ...r.parts].filter((c) => value(c) === null);
      if (unknown.length !== 1) continue;
      const [cell] = unknown as [Cell];
      const partSum = r.parts.reduce((a, c) => a + (value(c) ?? 0), 0);
      const totalSum = totals.reduce((a, c) => a + (value(c) ?? 0), 0);
      const recovered = totals.includes(cell) ? partSum - totalSum : totalSum - partSum;
      known.set(cellId(cell), recovered);
      via.set(cellId(cell), r);
      changed = true;
      // A group of one is its own total: the reader learns nothing that is not published (but may
      // use it in further subtractions).
      if (cell !== r.total && r.parts.length === 1 && totals.length === 1) continue;
      violations.push({
        table: cell.table, group: r.label, recovered, remedy: remedy(r),
        message: `${rowText(tables, cell)} is hidden but is recovered as ${recovered}: ${r.label}`,
      });
    }
  }
  for (const r of relations) {
    if (totalsOf(r).some((c) => value(c) === null)) continue;
    const total = totalsOf(r).reduce((a, c) => a + value(c)!, 0);
    const hidden = r.parts.filter((c) => value(c) === null);
    // With every part hidden, what they add up to is the published total itself: nothing subtracted.
    if (hidden.length > 0 && hidden.length === r.parts.length) continue;
    const gap = total - r.parts.reduce((a, c) => a + (value(c) ?? 0), 0);
    if (gap <= 0 || gap >= r.k) continue;
    const table = r.parts[0]?.table ?? r.total.table;
    violations.push({
      table, group: r.label, recovered: gap, remedy: remedy(r),
      message: hidden.length > 0
        ? `${hidden.length} hidden cells add up to ${gap}, fewer than k = ${r.k}: ${r.label}`
        : `the published parts leave ${gap} people out, fewer than k = ${r.k}: ${r.label}`,
    });
  }

  for (const [name, table] of Object.entries(tables)) {
    for (const s of table.series ?? []) {
      for (const members of groupRows(table.rows, s.by).values()) {
        const ordered = [...members].sort((a, b) => compareAlong(table.rows[a]![s.along], table.rows[b]![s.along]));
        for (const column of s.columns) {
          let last: { row: Row; v: number } | null = null;
          for (const i of ordered) {
            const v = value({ table: name, row: i, column });
            if (v === null) continue;
            const change = last === null ? 0 : Math.abs(v - last.v);
            if (last !== null && change > 0 && change < table.k) {
              const group = `${name} (${where(Object.fromEntries(s.by.map((c) => [c, table.rows[i]![c]])))}) ${column}`;
              const cell = { table: name, row: i, column };
              violations.push({
                table: name, group, recovered: change,
                remedy: published(cell) !== null ? [cell] : (via.get(cellId(cell)) ? remedy(via.get(cellId(cell))!) : []),
                message: `${group} changes by ${change} from ${s.along} ${String(last.row[s.along])} to ${String(table.rows[i]![s.along])}, fewer than k = ${table.k}`,
              });
            }
            last = { row: table.rows[i]!, v };
          }
        }
      }
    }
  }
  return violations;
}

/**
 * Everything wrong with a set of tables published together, as sentences: the own check of each
 * suppressed table (all, unless named: a report's printed totals are not suppressed by design), then
 * the subtractions across all of them.
 */
export function publicationViolations(tables: Record<string, PublishedTable>, suppressed = Object.keys(tables)): string[] {
  return [
    ...suppressed.map((name) => disclosureViolations(tables[name]!, name)).flat(),
    ...differencingViolations(tables).map((v) => v.message),
  ];
}

/** Refuses to publish tables that give away what suppression hid; `what` names the output in the sentence. */
export function assertPublishable(tables: Record<string, PublishedTable>, suppressed: string[], what: string): void {
  const problems = publicationViolations(tables, suppressed);
  if (problems.length > 0) throw new Error(`${what} is not safe to publish:\n${problems.join('\n')}`);
}

