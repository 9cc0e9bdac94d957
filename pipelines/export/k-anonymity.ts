// k-anonymity by top-down specialisation with local recoding (in the manner of Mondrian, LeFevre,
// DeWitt & Ramakrishnan 2006, over value hierarchies as in Fung, Wang & Yu 2005). Everybody starts
// with every generalisable quasi-identifier withheld, grouped only by the fixed one (the cohort).
// A group is refined one level of one quasi-identifier at a time: the people whose finer value at
// least k of them share move to it; the rest stay together at the coarser level (if they are fewer
// than k, the largest moving subgroup lends them the people they lack when it keeps k without them,
// the first by value; else the smallest moving subgroup stays with them; so nobody is left in a
// group of fewer than k). Each step takes a refinement of the lowest tier (the timing of outcomes
// before the person's attributes; within the outcome tier, the quasi-identifier released least
// precisely so far, so every outcome gets its year before any gets its month), then the one that
// moves the most people, the earlier quasi-identifier on a tie. Only a cohort with fewer than k
// people is suppressed: nothing can be withheld to hide it.
//
// Why generalise rather than suppress: suppression removes the rare (everyone nonbinary, everyone from
// a rare country) and biases what researchers can learn about them. The result depends only on the
// values, never on the order of the records, so an extract is the same for every recipient apart
// from its random ids (people with the same values may swap releases: the released rows are the same).

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

/** A record's values, most specific level of each quasi-identifier: what orders records that must be told apart. */
const valueOf = (r: QiRecord) => JSON.stringify(r.keys.map((levels) => levels.at(-1)));

/** The refinement of quasi-identifier q for a group, or undefined if it moves nobody. */
function refine(records: QiRecord[], group: Group, q: number, k: number): Refinement | undefined {
  const next = group.levels[q]! + 1;
  if (next >= records[group.members[0]!]!.keys[q]!.length) return undefined;
  const subgroups = groupBy(group.members, (i) => records[i]!.keys[q]![next]!).map(([, m]) => m);
  const movers = subgroups.filter((m) => m.length >= k).sort((a, b) => a.length - b.length);
  let stay = subgroups.filter((m) => m.length < k).flat();
  if (stay.length > 0 && stay.length < k) {
    // The largest moving subgroup lends the people the rest lack if it keeps k; else the smallest stays whole.
    const lack = k - stay.length;
    const largest = movers.at(-1)!;
    if (largest.length - lack >= k) {
      const byValue = [...largest].sort((a, b) => (valueOf(records[a]!) < valueOf(records[b]!) ? -1 : valueOf(records[a]!) > valueOf(records[b]!) ? 1 : 0));
      stay = stay.concat(byValue.slice(0, lack));
      movers[movers.length - 1] = byValue.slice(lack);
    } else stay = stay.concat(movers.shift() ?? []);
  }
  const moved = movers.reduce((n, m) => n + m.length, 0);
  return moved > 0 ? { q, moved, movers, stay } : undefined;
}

/**
 * `tiers[q]` (default all 0): a refinement of a quasi-identifier in a lower tier is taken before any
 * of a higher tier, however many people it moves; in tier 0, when tiers are given, the least refined
 * quasi-identifier first.
 */
export function kAnonymise(records: QiRecord[], k: number, tiers: number[] = []): Release[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a whole number of at least 1, not ${k}.`);
  const release: Release[] = records.map(() => null);
  const qis = records[0]?.keys.length ?? 0;
  const stack: Group[] = groupBy(records.map((_, i) => i), (i) => records[i]!.cell)
    .filter(([, members]) => members.length >= k)
    .map(([, members]) => ({ members, levels: new Array<number>(qis).fill(0) }));
  while (stack.length > 0) {
    const group = stack.pop()!;
    let best: Refinement | undefined;
    const rank = (x: Refinement) => {
      const tier = tiers[x.q] ?? 0;
      return tiers.length > 0 && tier === 0 ? group.levels[x.q]! : 1000 * tier;
    };
    for (let q = 0; q < qis; q++) {
      const r = refine(records, group, q, k);
      if (r && (!best || rank(r) < rank(best) || (rank(r) === rank(best) && r.moved > best.moved))) best = r;
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
