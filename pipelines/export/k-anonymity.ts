// k-anonymity by top-down specialisation with local recoding (in the manner of Mondrian, LeFevre,
// DeWitt & Ramakrishnan 2006, over value hierarchies as in Fung, Wang & Yu 2005). Everybody starts
// with every generalisable quasi-identifier withheld, grouped only by the fixed one (the cohort).
// A group is refined one level of one quasi-identifier at a time: the people whose finer value at
// least k of them share move to it; the rest stay together at the coarser level (if they are fewer
// than k, the smallest moving subgroup stays with them, so nobody is left in a group of fewer
// than k). Each step takes the refinement that moves the most people, the earlier
// quasi-identifier on a tie. Only a cohort with fewer than k people is suppressed: nothing can be
// withheld to hide it.
//
// Why generalise rather than suppress: suppression removes the rare (everyone nonbinary, everyone from
// a rare country) and biases what researchers can learn about them. The result depends only on the
// values, never on the order of the records, so an extract is the same for every recipient apart
// from its random ids.

export interface QiRecord {
  /** Key of the fixed quasi-identifiers (released for everyone). */
  cell: string;
  /** keys[q][level]: the record's value of generalisable quasi-identifier q at each level, level 0 withheld. */
  keys: string[][];
}

/** Per record: the level released of each generalisable quasi-identifier, or null when suppressed. */
export type Release = number[] | null;

interface Group {
  members: number[];
  levels: number[];
}

function groupBy(members: number[], key: (i: number) => string): Array<[string, number[]]> {
  const groups = new Map<string, number[]>();
  for (const i of members) {
    const k = key(i);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface Refinement {
  q: number;
  moved: number;
  movers: number[][];
  stay: number[];
}

/** The refinement of quasi-identifier q for a group, or undefined if it moves nobody. */
function refine(records: QiRecord[], group: Group, q: number, k: number): Refinement | undefined {
  const next = group.levels[q]! + 1;
  if (next >= records[group.members[0]!]!.keys[q]!.length) return undefined;
  const subgroups = groupBy(group.members, (i) => records[i]!.keys[q]![next]!).map(([, m]) => m);
  const movers = subgroups.filter((m) => m.length >= k).sort((a, b) => a.length - b.length);
  let stay = subgroups.filter((m) => m.length < k).flat();
  if (stay.length > 0 && stay.length < k) stay = stay.concat(movers.shift() ?? []);
  const moved = movers.reduce((n, m) => n + m.length, 0);
  return moved > 0 ? { q, moved, movers, stay } : undefined;
}

export function kAnonymise(records: QiRecord[], k: number): Release[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a whole number of at least 1, not ${k}.`);
  const release: Release[] = records.map(() => null);
  const qis = records[0]?.keys.length ?? 0;
  const stack: Group[] = groupBy(records.map((_, i) => i), (i) => records[i]!.cell)
    .filter(([, members]) => members.length >= k)
    .map(([, members]) => ({ members, levels: new Array<number>(qis).fill(0) }));
  while (stack.length > 0) {
    const group = stack.pop()!;
    let best: Refinement | undefined;
    for (let q = 0; q < qis; q++) {
      const r = refine(records, group, q, k);
      if (r && (!best || r.moved > best.moved)) best = r;
    }
    if (!best) {
      for (const i of group.members) release[i] = group.levels;
      continue;
    }
    const finer = group.levels.map((l, q) => (q === best.q ? l + 1 : l));
    if (best.stay.length > 0) stack.push({ members: best.stay, levels: group.levels });
    for (const members of best.movers) stack.push({ members, levels: finer });
  }
  return release;
}
