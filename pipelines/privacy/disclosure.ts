// Disclosure control for everything published (dashboard data, PDF breakdown tables): the one place
// that decides which cells are shown. A cell is a published value together with the number of
// people it covers; a cell covering fewer than k people is suppressed (primary suppression), and
// further cells are suppressed so that no suppressed cell can be recovered from the rest of the
// table (complementary suppression). The rules are documented in docs/disclosure-control.md.
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
}

export type Row = Record<string, unknown>;

/** A table ready to publish: suppressed values are null, and the table says how it was protected. */
export interface PublishedTable<R extends Row = Row> {
  k: number;
  cells: Record<string, CellRule>;
  margins: string[][];
  rows: R[];
  /** How many values were suppressed: because they cover fewer than k people, and to protect those. */
  suppressed: { primary: number; complementary: number };
}

/** Row indexes of each group of rows sharing the values of `by` (a margin), in first-seen order. */
function marginGroups(rows: readonly Row[], by: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = JSON.stringify(by.map((c) => row[c] ?? null));
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return [...groups.values()];
}

const numeric = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

export function suppressTable<R extends Row>(rows: readonly R[], spec: SuppressionSpec): PublishedTable<R> {
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
  const additive = columns.filter((c) => spec.cells[c]!.covers === c);
  const groups = (spec.margins ?? []).flatMap((by) => marginGroups(rows, by)).filter((members) => members.length >= 2);
  for (let changed = true; changed; ) {
    changed = false;
    // A value is hidden with the people it covers and with anything it would reveal.
    rows.forEach((_, i) => {
      for (const column of columns) {
        const rule = spec.cells[column]!;
        if ([rule.covers, ...(rule.reveals ?? [])].some((c) => hidden[i]!.has(c))) changed = hide(i, column) || changed;
      }
    });
    // Within a group that adds up to a known total, one hidden count is the total minus the others:
    // hide the smallest other count too, so at least two are unknown.
    for (const members of groups) {
      for (const column of additive) {
        const shown = members.filter((i) => !hidden[i]!.has(column));
        if (members.length - shown.length !== 1 || shown.length === 0) continue;
        const smallest = shown.reduce((a, b) => ((numeric(rows[b]![column]) ?? 0) < (numeric(rows[a]![column]) ?? 0) ? b : a));
        changed = hide(smallest, column) || changed;
      }
    }
  }

  const published = rows.map((row, i) => {
    if (hidden[i]!.size === 0) return { ...row };
    const copy: Row = { ...row };
    for (const column of hidden[i]!) copy[column] = null;
    return copy as R;
  });
  return { k, cells: spec.cells, margins: spec.margins ?? [], rows: published, suppressed: { primary, complementary } };
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
    for (const indexes of marginGroups(table.rows, by)) {
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
