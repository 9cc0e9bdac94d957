import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPPRESSION_K, disclosureViolations, suppressTable, suppressionK } from '../pipelines/privacy/disclosure.ts';

describe('suppression threshold', () => {
  it('is 10 unless IMPACT_SUPPRESSION_K says otherwise, and refuses nonsense', () => {
    expect(suppressionK({})).toBe(DEFAULT_SUPPRESSION_K);
    expect(DEFAULT_SUPPRESSION_K).toBe(10);
    expect(suppressionK({ IMPACT_SUPPRESSION_K: '5' })).toBe(5);
    expect(() => suppressionK({ IMPACT_SUPPRESSION_K: '1' })).toThrow(/from 2 to 1000/);
    expect(() => suppressionK({ IMPACT_SUPPRESSION_K: 'ten' })).toThrow(/IMPACT_SUPPRESSION_K/);
  });
});

describe('suppressTable', () => {
  // Worked example: jobs by cohort × gender; genders of a cohort add up to the cohort total,
  // which a funder sees on another page.
  const rows = [
    { cohort: 'A', gender: 'female', people: 40, employed: 30, rate: 0.75, median_income: 310_000 },
    { cohort: 'A', gender: 'male', people: 55, employed: 44, rate: 0.8, median_income: 320_000 },
    { cohort: 'A', gender: 'nonbinary', people: 4, employed: 3, rate: 0.75, median_income: 300_000 },
    { cohort: 'B', gender: 'female', people: 12, employed: 6, rate: 0.5, median_income: 280_000 },
    { cohort: 'B', gender: 'male', people: 20, employed: 15, rate: 0.75, median_income: 295_000 },
  ];
  const spec = {
    k: 10,
    cells: {
      people: { covers: 'people' },
      employed: { covers: 'employed' },
      rate: { covers: 'people', reveals: ['employed'] },
      median_income: { covers: 'employed' },
    },
    margins: [['cohort']],
  };

  it('hides small cells, then the smallest other count of the same group', () => {
    const t = suppressTable(rows, spec);
    // Cohort A nonbinary covers 4 people: everything in that row is hidden (primary).
    expect(t.rows[2]).toEqual({ cohort: 'A', gender: 'nonbinary', people: null, employed: null, rate: null, median_income: null });
    // Cohort A's total minus female and male would give nonbinary back: the smaller of the two
    // (female: 40 people, 30 employed) is hidden too, with the rate and median that rest on them.
    expect(t.rows[0]).toEqual({ cohort: 'A', gender: 'female', people: null, employed: null, rate: null, median_income: null });
    expect(t.rows[1]).toEqual(rows[1]);
    // Cohort B female: 6 employed < 10, so the count, the rate that reveals it and the median over
    // those 6 are hidden; the 12 people are shown... which would let employed be recovered from the
    // cohort's employed total, so male employed (15) is hidden too, and with it what rests on it.
    expect(t.rows[3]).toEqual({ cohort: 'B', gender: 'female', people: 12, employed: null, rate: null, median_income: null });
    expect(t.rows[4]).toEqual({ cohort: 'B', gender: 'male', people: 20, employed: null, rate: null, median_income: null });
    // Primary: the four values of A/nonbinary, and B/female's employed and median (they cover 6).
    // Everything else was hidden to protect those: B/female's rate (it reveals employed), A/female's
    // four values, B/male's employed and the two values resting on it.
    expect(t.suppressed).toEqual({ primary: 6, complementary: 8 });
    expect(disclosureViolations(t)).toEqual([]);
  });

  it('publishes a table with no small cell unchanged', () => {
    const big = rows.filter((r) => r.employed >= 10 && r.people >= 10);
    const t = suppressTable(big, spec);
    expect(t.rows).toEqual(big);
    expect(t.suppressed).toEqual({ primary: 0, complementary: 0 });
  });

  it('refuses a rule that refers to a column it does not publish', () => {
    expect(() => suppressTable(rows, { k: 10, cells: { rate: { covers: 'people' } } })).toThrow(/refers to "people"/);
  });

  it('the checker catches what suppression prevents', () => {
    const unsafe = { k: 10, cells: spec.cells, margins: spec.margins, sums: [], series: [], rows, suppressed: { primary: 0, complementary: 0 } };
    const problems = disclosureViolations(unsafe, 'jobs');
    expect(problems).toContain('jobs row 3: people covers 4 people, fewer than k = 10');
    expect(problems).toContain('jobs row 4: employed covers 6 people, fewer than k = 10');
    const oneHidden = { ...unsafe, rows: rows.map((r, i) => (i === 2 ? { ...r, people: null, employed: null, rate: null, median_income: null } : r)) };
    expect(disclosureViolations(oneHidden, 'jobs').some((p) => p.includes('single hidden count'))).toBe(true);
  });

  const table = fc.array(
    fc.record({
      region: fc.constantFrom('north', 'south', 'east'),
      band: fc.constantFrom('18-24', '25-34', '35-44', '45+'),
      people: fc.nat(60),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 24 },
  ).map((rs) => rs.map((r) => ({ ...r, employed: Math.round(r.people * r.share) })));
  const propertySpec = (k: number) => ({
    k,
    cells: { people: { covers: 'people' }, employed: { covers: 'employed' }, rate: { covers: 'people', reveals: ['employed'] } },
    margins: [['region'], ['band']],
  });
  const withRate = <R extends { people: number; employed: number }>(rs: R[]) => rs.map((r) => ({ ...r, rate: r.people ? r.employed / r.people : null }));

  it('property: nothing under k is shown, no group has a single hidden count, shown values are untouched', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 2, max: 20 }), (rs, k) => {
        const input = withRate(rs);
        const t = suppressTable(input, propertySpec(k));
        expect(disclosureViolations(t)).toEqual([]);
        t.rows.forEach((row, i) => {
          for (const c of ['people', 'employed', 'rate'] as const) if (row[c] !== null) expect(row[c]).toBe(input[i]![c]);
          expect(row.region).toBe(input[i]!.region);
        });
      }),
    );
  });

  it('property: suppressing a published table again changes nothing', () => {
    fc.assert(
      fc.property(table, (rs) => {
        const once = suppressTable(withRate(rs), propertySpec(10));
        const twice = suppressTable(once.rows, propertySpec(10));
        expect(twice.rows).toEqual(once.rows);
      }),
    );
  });
});
