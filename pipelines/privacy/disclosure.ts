// Disclosure control for everything published (dashboard data, PDF breakdown tables): the one place
// that decides which cells are shown. A cell is a published value together with the number of
// people it covers; a cell covering fewer than k people is suppressed (primary suppression), and
// further cells are suppressed so that subtracting shown cells from a published total never gives a
// hidden cell, or hidden cells adding up to fewer than k people, and a series never moves by fewer
// than k people between published values (complementary suppression). differencing.ts attacks the
// result. The rules are documented in docs/disclosure-control.md.
import { z } from 'zod';

/** The smallest count a published cell may show (dashboards, reports); research extracts have their own k. */
export const DEFAULT_SUPPRESSION_K = 10;

/** k for published outputs: IMPACT_SUPPRESSION_K if set, else 10. */
export function suppressionK(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IMPACT_SUPPRESSION_K;
  if (raw === undefined || raw === '') return DEFAULT_SUPPRESSION_K;
  const parsed = z.coerce.number().int().min(2).max(1000).safeParse(raw);
  if (!parsed.success) throw new Error(`IMPACT_SUPPRESSION_K must be a whole number from 2 to 1000, not "${raw}".`);
  return parsed.data;
}

/** How one published column is protected. */
export interface CellRule {
  /** The column holding the number of people this value covers; a count of people covers itself. */
  covers: string;
  /** Columns this value would reveal if shown (a rate reveals its numerator): suppressed with them. */
  reveals?: string[];
}

export interface SuppressionSpec {
  k?: number;
  /** Every published value column and how it is protected. Columns not listed are dimensions (labels). */
  cells: Record<string, CellRule>;
  /**
   * Groups of rows whose counts add up to a total published in the same table or elsewhere, given by
   * the dimension columns the rows of one group share. For a table by cohort × gender, `[['cohort']]`
   * says the genders of one cohort add up to the cohort total. Additive columns (counts that cover
   * themselves) get complementary suppression within each group.
   */
  margins?: string[][];
  /**
   * Where totals of this table's rows are published (in another row of this table, or in another
   * table): the linkage the differencing checker (differencing.ts) subtracts along, and groups that get
   * complementary suppression here. Declared as data so that nothing is guessed.
   */
  sums?: SumDeclaration[];
  /** Cumulative or nested series: consecutive published values are differenced by a reader. */
  series?: SeriesDeclaration[];
}

export type Scalar = string | number | boolean | null;

/**
 * Rows that add up to a published total. For the funnel, `{ parts: { breakdown: 'track' }, by: ['stage'],
 * total: { where: { breakdown: 'all' } } }` says the tracks of one stage add up to that stage's row for
 * everyone. The additive columns are those named in `total.columns` (part column → total column), else
 * every count of people the parts and the total both publish.
 */
export interface SumDeclaration {
  /** The rows that are the parts: those with these values. */
  parts: Record<string, Scalar>;
  /** Dimensions the parts share with their total: one sum per combination of their values. */
  by: string[];
  total: {
    /** The table the total is published in: this one unless named. */
    table?: string;
    /** The rows holding totals: those with these values, matched to the parts on `by`. */
    where?: Record<string, Scalar>;
    /** A dimension of the parts that has another name in the total's table (part name → total name). */
    rename?: Record<string, string>;
    /** Which column of the total each additive column of the parts adds up to. */
    columns?: Record<string, string>;
    /**
     * The total is the sum of all the rows matching `where` (another breakdown of the same people: the
     * equity page's genders add up to whatever its age bands add up to), not each of them.
     */
    sumOf?: boolean;
  };
}

/**
 * A series whose consecutive values a reader subtracts: counts to date month by month, or the number
 * still at risk along a survival curve. The change between two published values must be 0 or cover
 * at least k people.
 */
export interface SeriesDeclaration {
  /** The column the series runs along, in ascending order (days, month). */
  along: string;
  /** Dimensions of one series. */
  by: string[];
  /** Counts of people whose changes are read. */
  columns: string[];
}

export type Row = Record<string, unknown>;

/** A table ready to publish: suppressed values are null, and the table says how it was protected. */
export interface PublishedTable<R extends Row = Row> {
  k: number;
  cells: Record<string, CellRule>;
  margins: string[][];
  sums: SumDeclaration[];
  series: SeriesDeclaration[];
  rows: R[];
  /** How many values were suppressed: because they cover fewer than k people, and to protect those. */
  suppressed: { primary: number; complementary: number };
}

/** The key of a row's values of `by`, for grouping. */
export const groupKey = (row: Row, by: readonly string[]): string => JSON.stringify(by.map((c) => row[c] ?? null));

/** Whether a row has the given values. */
export const rowMatches = (row: Row, where: Record<string, Scalar> = {}): boolean => Object.entries(where).every(([c, v]) => (row[c] ?? null) === v);

/** Row indexes of each group of rows sharing the values of `by` (among those matching `where`), in first-seen order. */
export function groupRows(rows: readonly Row[], by: readonly string[], where?: Record<string, Scalar>): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (!rowMatches(row, where)) return;
    const key = groupKey(row, by);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** Counts of people: the columns that cover themselves, and so add up. */
export const additiveColumns = (cells: Record<string, CellRule>): string[] => Object.keys(cells).filter((c) => cells[c]!.covers === c);

/** The additive columns of a sum: part column → the total's column. */
export function sumColumns(sum: SumDeclaration, partCells: Record<string, CellRule>, totalCells: Record<string, CellRule>): Array<[string, string]> {
  if (sum.total.columns) return Object.entries(sum.total.columns);
  const total = new Set(additiveColumns(totalCells));
  return additiveColumns(partCells).filter((c) => total.has(c)).map((c) => [c, c]);
}

/** The key of a total row for matching to its parts: its values of `by`, under their names in the total's table. */
export const totalKey = (row: Row, sum: SumDeclaration): string => groupKey(row, sum.by.map((c) => sum.total.rename?.[c] ?? c));

export const numeric = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

/** One group of cells that add up to a known total: the parts, and the total's cell when it is in this table. */
interface SumGroup {
  parts: number[];
  column: string;
  total: { row: number; column: string } | null;
}

/** Every group that gets complementary suppression: the margins, and the declared sums with their parts here. */
function sumGroups(rows: readonly Row[], spec: SuppressionSpec): SumGroup[] {
  const groups: SumGroup[] = [];
  const additive = additiveColumns(spec.cells);
  for (const by of spec.margins ?? []) {
    // A group of one is its own total: nothing to subtract.
    for (const parts of groupRows(rows, by).values()) if (parts.length >= 2) for (const column of additive) groups.push({ parts, column, total: null });
  }
  for (const sum of spec.sums ?? []) {
    // A total that is a sum of rows (sumOf) is not one cell: the parts are protected among themselves.
    const here = sum.total.table === undefined && !sum.total.sumOf;
    const totals = new Map<string, number>();
    if (here) for (const [key, [row]] of groupRows(rows, sum.by.map((c) => sum.total.rename?.[c] ?? c), sum.total.where)) totals.set(key, row!);
    // Without `total.columns`, every count of the parts is protected (whether or not the other table has it).
    for (const [key, parts] of groupRows(rows, sum.by, sum.parts)) {
      for (const [column, totalColumn] of sumColumns(sum, spec.cells, spec.cells)) {
        const row = totals.get(key);
        groups.push({ parts, column, total: here && row !== undefined ? { row, column: totalColumn } : null });
      }
    }
  }
  return groups;
}

/**
 * Along a series, the change between consecutive published values is 0 or at least k: a value that
 * changes by 1 to k − 1 since the last published one is hidden, pooling its step with the next.
 */
function seriesGroups(rows: readonly Row[], spec: SuppressionSpec): Array<{ rows: number[]; column: string }> {
  return (spec.series ?? []).flatMap((s) =>
    [...groupRows(rows, s.by).values()].flatMap((members) => {
      const ordered = [...members].sort((a, b) => compareAlong(rows[a]![s.along], rows[b]![s.along]));
      return s.columns.map((column) => ({ rows: ordered, column }));
    }),
  );
}

export const compareAlong = (a: unknown, b: unknown): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));

/** Cells of a table by row and column, for suppressing tables together (joint-suppression.ts). */
export interface CellChoices {
  /** Hidden whatever their counts: hiding them stops a subtraction across tables. */
  forced?: ReadonlyArray<{ row: number; column: string }>;
  /**
   * Published with the same value in another table: hiding them here would hide nothing, so
   * complementary suppression picks other cells first.
   */
  pinned?: ReadonlyArray<{ row: number; column: string }>;
}

export function suppressTable<R extends Row>(rows: readonly R[], spec: SuppressionSpec, choices: CellChoices = {}): PublishedTable<R> {
  const k = spec.k ?? suppressionK();
  const columns = Object.keys(spec.cells);
  for (const [column, rule] of Object.entries(spec.cells)) {
    for (const ref of [rule.covers, ...(rule.reveals ?? [])]) {
      if (!(ref in spec.cells)) throw new Error(`Suppression rule for "${column}" refers to "${ref}", which is not a published cell.`);
    }
  }
  // hidden[i] holds the columns of row i that are suppressed.
  const hidden = rows.map(() => new Set<string>());
  let primary = 0;
  rows.forEach((row, i) => {
    for (const column of columns) {
      const people = numeric(row[spec.cells[column]!.covers]);
      if (people === null || people < k) {
        if (row[column] !== null && row[column] !== undefined) primary++;
        hidden[i]!.add(column);
      }
    }
  });

  let complementary = 0;
  const hide = (i: number, column: string): boolean => {
    if (hidden[i]!.has(column)) return false;
    hidden[i]!.add(column);
    if (rows[i]![column] !== null && rows[i]![column] !== undefined) complementary++;
    return true;
  };
  const value = (i: number, column: string) => numeric(rows[i]![column]) ?? 0;
  for (const { row, column } of choices.forced ?? []) hide(row, column);
  const pinned = new Set((choices.pinned ?? []).map(({ row, column }) => `${row}\u0000${column}`));
  const isPinned = (i: number, column: string) => pinned.has(`${i}\u0000${column}`);
  const groups = sumGroups(rows, spec);
  const series = seriesGroups(rows, spec);
  // The groups each cell is a part of: hiding a cell that is the first hidden part of another group
  // exposes that group in turn, so such cells are chosen last (greedy, but it keeps chains short).
  const memberOf = new Map<string, SumGroup[]>();
  for (const g of groups) for (const i of g.parts) memberOf.set(`${i}\u0000${g.column}`, [...(memberOf.get(`${i}\u0000${g.column}`) ?? []), g]);
  const exposes = (i: number, column: string, group: SumGroup) =>
    (memberOf.get(`${i}\u0000${column}`) ?? []).filter((g) => g !== group && g.parts.every((j) => !hidden[j]!.has(column))).length;
  for (let changed = true; changed; ) {
    changed = false;
    // A value is hidden with the people it covers and with anything it would reveal.
    rows.forEach((_, i) => {
      for (const column of columns) {
        const rule = spec.cells[column]!;
        if ([rule.covers, ...(rule.reveals ?? [])].some((c) => hidden[i]!.has(c))) changed = hide(i, column) || changed;
      }
    });
    // Within a group that adds up to a known total, the total minus the shown counts is what the hidden
    // ones add up to (with anyone in no group): a single hidden count, or hidden counts adding up to 1 to
    // k − 1 people, would be disclosed. Hide the smallest shown count until neither holds. A hidden total
    // whose parts are all shown is their sum: hide a part too.
    for (const group of groups) {
      const { parts, column, total } = group;
      const shown = parts.filter((i) => !hidden[i]!.has(column));
      if (shown.length === 0) continue;
      const totalHidden = total !== null && hidden[total.row]!.has(total.column);
      const sum = total === null ? parts.reduce((a, i) => a + value(i, column), 0) : value(total.row, total.column);
      const gap = sum - shown.reduce((a, i) => a + value(i, column), 0);
      const exposed = totalHidden ? shown.length === parts.length : parts.length - shown.length === 1 || (gap > 0 && gap < k);
      if (!exposed) continue;
      const free = shown.filter((i) => !isPinned(i, column));
      const cost = (i: number) => [exposes(i, column, group), value(i, column)] as const;
      const better = (a: number, b: number) => { const [ca, va] = cost(a); const [cb, vb] = cost(b); return cb < ca || (cb === ca && vb < va) ? b : a; };
      changed = hide((free.length > 0 ? free : shown).reduce(better), column) || changed;
    }
    for (const { rows: ordered, column } of series) {
      let last: number | null = null;
      for (const i of ordered) {
        if (hidden[i]!.has(column)) continue;
        const change = last === null ? 0 : Math.abs(value(i, column) - last);
        if (change > 0 && change < k) changed = hide(i, column) || changed;
        else last = value(i, column);
      }
    }
  }

  const published = rows.map((row, i) => {
    if (hidden[i]!.size === 0) return { ...row };
    const copy: Row = { ...row };
    for (const column of hidden[i]!) copy[column] = null;
    return copy as R;
  });
  return {
    k, cells: spec.cells, margins: spec.margins ?? [], sums: spec.sums ?? [], series: spec.series ?? [],
    rows: published, suppressed: { primary, complementary },
  };
}

/**
 * What is wrong with a table about to be published, as sentences (empty when it is safe): a value
 * shown although it covers fewer than k people, shown while what it covers or reveals is hidden, or
 * the only hidden count of a group whose total is known.
 */
export function disclosureViolations(table: PublishedTable, name = 'table'): string[] {
  const problems: string[] = [];
  table.rows.forEach((row, i) => {
    for (const [column, rule] of Object.entries(table.cells)) {
      if (row[column] === null || row[column] === undefined) continue;
      const people = numeric(row[rule.covers]);
      if (people === null) problems.push(`${name} row ${i + 1}: ${column} is shown but ${rule.covers} (the people it covers) is hidden`);
      else if (people < table.k) problems.push(`${name} row ${i + 1}: ${column} covers ${people} people, fewer than k = ${table.k}`);
      for (const revealed of rule.reveals ?? []) {
        if (row[revealed] === null || row[revealed] === undefined) problems.push(`${name} row ${i + 1}: ${column} is shown but reveals hidden ${revealed}`);
      }
    }
  });
  const shown = (row: Row, column: string) => row[column] !== null && row[column] !== undefined;
  for (const by of table.margins) {
    for (const indexes of groupRows(table.rows, by).values()) {
      if (indexes.length < 2) continue;
      const members = indexes.map((i) => table.rows[i]!);
      const key = JSON.stringify(by.map((c) => members[0]![c] ?? null));
      for (const [column, rule] of Object.entries(table.cells)) {
        if (rule.covers !== column) continue;
        if (members.filter((r) => !shown(r, column)).length === 1) {
          problems.push(`${name}: in the group ${by.join(', ')} = ${key}, ${column} has a single hidden count, recoverable from the total`);
        }
      }
    }
  }
  return problems;
}
