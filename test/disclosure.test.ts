import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differencingViolations, publicationViolations, sumsThatDoNotHold } from '../pipelines/privacy/differencing.ts';
import { suppressTogether } from '../pipelines/privacy/joint-suppression.ts';
import { DEFAULT_SUPPRESSION_K, disclosureViolations, suppressTable, suppressionK, type PublishedTable, type Row, type SumDeclaration, type SuppressionSpec } from '../pipelines/privacy/disclosure.ts';

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

describe('differencing: the subtractions a reader can make across everything published', () => {
  const k = 10;
  const link = { step: 1, source: 'completed', target: 'impact_sourcing' };
  // The flow example of issue 11: 50 people on a link, by track 20 + 23 shown, and three small tracks
  // (3, 2, 2) hidden, which the total gives back as 7 people together.
  const flowRows = [
    { breakdown: 'all', group_value: 'all', ...link, people: 50 },
    { breakdown: 'track', group_value: 'cloud', ...link, people: 20 },
    { breakdown: 'track', group_value: 'data', ...link, people: 23 },
    { breakdown: 'track', group_value: 'qa', ...link, people: 3 },
    { breakdown: 'track', group_value: 'web', ...link, people: 2 },
    { breakdown: 'track', group_value: 'design', ...link, people: 2 },
  ];
  const flowSums: SumDeclaration[] = [{ parts: { breakdown: 'track' }, by: ['step', 'source', 'target'], total: { where: { breakdown: 'all' } } }];
  const cells = { people: { covers: 'people' } };

  it('finds the three hidden tracks that add up to 7, which one-hidden-cell suppression left; suppression now hides a shown track too', () => {
    // Before: complementary suppression looked only for groups with a single hidden count, so it
    // published the table with the three small tracks hidden and nothing else.
    const before = {
      k, cells, margins: [['breakdown', 'step', 'source', 'target']], sums: flowSums, series: [], suppressed: { primary: 3, complementary: 0 },
      rows: flowRows.map((r) => (r.people < k ? { ...r, people: null } : r)),
    };
    expect(disclosureViolations(before, 'flow')).toEqual([]);
    const found = differencingViolations({ flow: before });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ table: 'flow', recovered: 7 });
    expect(found[0]!.message).toMatch(/^3 hidden cells add up to 7, fewer than k = 10: flow rows with breakdown = track/);

    const after = suppressTable(flowRows, { k, cells, sums: flowSums });
    // The smallest shown track (20) is hidden too: the hidden tracks now add up to 27.
    expect(after.rows.map((r) => r.people)).toEqual([50, null, 23, null, null, null]);
    expect(publicationViolations({ flow: after })).toEqual([]);
  });

  it('says which declared sums the data contradict, so a wrong linkage is caught before it is trusted', () => {
    const raw = { k, cells, margins: [], series: [], suppressed: { primary: 0, complementary: 0 } };
    expect(sumsThatDoNotHold({ flow: { ...raw, rows: flowRows, sums: flowSums } })).toEqual([]);
    const wrong = flowRows.map((r) => (r.group_value === 'all' ? { ...r, people: 51 } : r));
    expect(sumsThatDoNotHold({ flow: { ...raw, rows: wrong, sums: flowSums } })).toEqual([
      'flow rows with breakdown = track and step = 1, source = completed, target = impact_sourcing, people, add up to flow (breakdown = all) people: the parts add up to 50, the total is 51',
    ]);
  });

  it('recovers a single hidden count from a total in another table, and chains what it recovers', () => {
    // A contract's outcome codes add up to its outcomes on the contracts table; code D (4) is hidden.
    const codes = [
      { contract_id: 'X', code: 'A', achieved: 11 },
      { contract_id: 'X', code: 'B', achieved: 11 },
      { contract_id: 'X', code: 'C', achieved: 14 },
      { contract_id: 'X', code: 'D', achieved: 4 },
    ];
    const contracts = suppressTable([{ contract_id: 'X', outcomes: 40, people: 17 }], { k, cells: { people: { covers: 'people' }, outcomes: { covers: 'people' } } });
    const sums: SumDeclaration[] = [{ parts: {}, by: ['contract_id'], total: { table: 'contracts', columns: { achieved: 'outcomes' } } }];
    const primaryOnly = suppressTable(codes, { k, cells: { achieved: { covers: 'achieved' } }, sums: [] });
    const found = differencingViolations({ codes: { ...primaryOnly, sums }, contracts });
    expect(found.map((v) => [v.table, v.recovered])).toEqual([['codes', 4]]);
    expect(found[0]!.message).toMatch(/^codes \(contract_id = X, code = D\) achieved is hidden but is recovered as 4/);
    expect(differencingViolations({ codes: suppressTable(codes, { k, cells: { achieved: { covers: 'achieved' } }, sums }), contracts })).toEqual([]);

    // Two levels: a hidden link recovered from one total is then used against another.
    const chain = [
      { level: 'top', node: 'all', people: 40 },
      { level: 'mid', node: 'a', people: 25 },
      { level: 'mid', node: 'b', people: 15 }, // hidden below, but 40 − 25 gives it back...
      { level: 'leaf', node: 'b1', people: 12 },
      { level: 'leaf', node: 'b2', people: 3 }, // ...and then 15 − 12 gives this back.
    ];
    const published: PublishedTable = {
      k, cells, margins: [], series: [], suppressed: { primary: 1, complementary: 1 },
      rows: chain.map((r) => (r.node === 'b' || r.node === 'b2' ? { ...r, people: null } : r)),
      sums: [
        { parts: { level: 'mid' }, by: [], total: { where: { level: 'top' } } },
        { parts: { level: 'leaf' }, by: [], total: { where: { node: 'b' } } },
      ],
    };
    expect(differencingViolations({ chain: published }).map((v) => v.recovered)).toEqual([15, 3]);
  });

  it('Kaplan–Meier: each published step of the number at risk covers at least k people, and the curve stops under k', () => {
    const curve = [[0, 40], [14, 38], [28, 30], [42, 29], [56, 20], [70, 12], [84, 9], [98, 9]].map(([days, atRisk]) => ({
      breakdown: 'all', group_value: 'all', days, at_risk: atRisk, survival: atRisk! / 40,
    }));
    const spec = { k, cells: { at_risk: { covers: 'at_risk' }, survival: { covers: 'at_risk' } }, margins: [], series: [{ along: 'days', by: ['breakdown', 'group_value'], columns: ['at_risk'] }] };
    const unpooled = { ...suppressTable(curve, { ...spec, series: [] }), series: spec.series };
    expect(differencingViolations({ km: unpooled }).map((v) => v.recovered)).toEqual([2, 8, 1, 9, 8]);
    const pooled = suppressTable(curve, spec);
    expect(pooled.rows.map((r) => r.at_risk)).toEqual([40, null, 30, null, 20, null, null, null]);
    expect(pooled.rows.map((r) => r.survival)).toEqual([1, null, 0.75, null, 0.5, null, null, null]);
    expect(publicationViolations({ km: pooled })).toEqual([]);
  });

  // Random publications: two breakdowns of the same people by stage, adding up to a row for everyone
  // in the same table (one of them leaving some people out of every group) and to a totals table;
  // and a survival-like series per group.
  const stages = ['enrolled', 'completed', 'employed'];
  const publication = fc.record({
    region: fc.array(fc.array(fc.nat(40), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
    band: fc.array(fc.array(fc.nat(40), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
    unknown: fc.array(fc.nat(12), { minLength: 3, maxLength: 3 }),
    steps: fc.array(fc.array(fc.nat(15), { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
  });
  type Publication = { region: number[][]; band: number[][]; unknown: number[]; steps: number[][] };
  function build({ region, band, unknown, steps }: Publication): Record<string, { rows: Row[]; spec: SuppressionSpec }> {
    // The band groups are scaled to the same totals as the regions plus the unknown ones: one partition
    // (bands) is complete, the other (regions) leaves the unknown out.
    const totals = stages.map((_, s) => region.reduce((a, g) => a + g[s]!, 0) + unknown[s]!);
    const bandRows = band.map((g, i) => ({ breakdown: 'band', group_value: `b${i}`, counts: g }));
    stages.forEach((_, s) => {
      const share = bandRows.slice(0, -1).reduce((a, r) => a + r.counts[s]!, 0);
      const rest = totals[s]! - share;
      if (rest >= 0) bandRows.at(-1)!.counts = bandRows.at(-1)!.counts.map((c, j) => (j === s ? rest : c));
      else bandRows.forEach((r, j) => (r.counts = r.counts.map((c, m) => (m === s ? (j === 0 ? totals[s]! : 0) : c))));
    });
    const rows = [
      ...stages.map((stage, s) => ({ breakdown: 'all', group_value: 'all', stage, people: totals[s]! })),
      ...region.flatMap((g, i) => stages.map((stage, s) => ({ breakdown: 'region', group_value: `r${i}`, stage, people: g[s]! }))),
      ...bandRows.flatMap((r) => stages.map((stage, s) => ({ breakdown: 'band', group_value: r.group_value, stage, people: r.counts[s]! }))),
    ];
    const sums: SumDeclaration[] = [
      { parts: { breakdown: 'region' }, by: ['stage'], total: { where: { breakdown: 'all' } } },
      { parts: { breakdown: 'band' }, by: ['stage'], total: { where: { breakdown: 'all' } } },
      { parts: { breakdown: 'band' }, by: ['stage'], total: { table: 'totals' } },
    ];
    const curves = steps.flatMap((drops, g) => {
      let atRisk = drops.reduce((a, d) => a + d, 0) + 5;
      return [{ group: g, days: 0, at_risk: atRisk }, ...drops.map((d, i) => ({ group: g, days: (i + 1) * 14, at_risk: (atRisk -= d) }))];
    });
    return {
      groups: { rows, spec: { cells, sums } },
      totals: { rows: stages.map((stage, s) => ({ stage, people: totals[s]! })), spec: { cells } },
      km: { rows: curves, spec: { cells: { at_risk: { covers: 'at_risk' } }, margins: [], series: [{ along: 'days', by: ['group'], columns: ['at_risk'] }] } },
    };
  }

  it('property: after suppression, no subtraction across the tables gives anything away', () => {
    fc.assert(
      fc.property(publication, fc.integer({ min: 2, max: 15 }), (p, kk) => {
        const tables = Object.fromEntries(Object.entries(build(p)).map(([name, t]) => [name, suppressTable(t.rows, { ...t.spec, k: kk })]));
        expect(publicationViolations(tables)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the checker sees through suppression that ignores the declared totals and series', () => {
    // Not vacuous: with only primary suppression, the same publications often give something away.
    let found = 0;
    fc.assert(
      fc.property(publication, (p) => {
        const tables = Object.fromEntries(Object.entries(build(p)).map(([name, t]) => [name, { ...suppressTable(t.rows, { cells: t.spec.cells, k }), sums: t.spec.sums ?? [], series: t.spec.series ?? [] }]));
        if (differencingViolations(tables).length > 0) found++;
      }),
      { numRuns: 100 },
    );
    expect(found).toBeGreaterThan(20);
  });
});

describe('tables suppressed together (the dashboard: a cell hidden in one table may be printed in another)', () => {
  const k = 10;
  // The demo's shape (issue 11, found by `impact start` on the default demo): the flow's step 1 by track,
  // and the funnel, which prints each track's enrolled and completed counts. The flow's completers of a
  // track are the funnel's; hiding them in the flow hides nothing, and enrolled − completed then gives
  // back the track's withdrawn people.
  const tracks = { a: [336, 5, 60], b: [377, 25, 95], c: [352, 0, 49], d: [507, 45, 149] } as const;
  const targets = ['completed', 'in_training', 'withdrawn'] as const;
  const flowRows: Row[] = [];
  for (const [track, counts] of Object.entries(tracks)) {
    counts.forEach((people, i) => { if (people > 0) flowRows.push({ breakdown: 'track', group_value: track, step: 1, source: 'enrolled', target: targets[i], people }); });
  }
  for (const target of targets) {
    const people = flowRows.filter((r) => r.target === target).reduce((a, r) => a + Number(r.people), 0);
    flowRows.unshift({ breakdown: 'all', group_value: 'all', step: 1, source: 'enrolled', target, people });
  }
  const funnelRows: Row[] = Object.entries(tracks).flatMap(([track, [completed, inTraining, withdrawn]]) => [
    { breakdown: 'track', group_value: track, stage: 'enrolled', people: completed + inTraining + withdrawn },
    { breakdown: 'track', group_value: track, stage: 'completed', people: completed },
  ]);
  const flowSpec: SuppressionSpec = {
    k, cells: { people: { covers: 'people' } }, margins: [['breakdown', 'group_value', 'step', 'source']],
    sums: [
      { parts: { breakdown: 'track' }, by: ['step', 'source', 'target'], total: { where: { breakdown: 'all' } } },
      { parts: { step: 1 }, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'enrolled' } } },
      { parts: { step: 1, target: 'completed' }, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'completed' } } },
    ],
  };
  const funnelSpec: SuppressionSpec = { k, cells: { people: { covers: 'people' } }, margins: [['breakdown', 'stage']] };

  it('keeps a count printed elsewhere shown, hides others instead, and no subtraction across the tables gives anything away', () => {
    const together = suppressTogether({ flow: { rows: flowRows, spec: flowSpec }, funnel: { rows: funnelRows, spec: funnelSpec } });
    expect(differencingViolations(together)).toEqual([]);
    expect(publicationViolations(together)).toEqual([]);
    // The small cell is hidden, and every completers' count the funnel prints is shown in the flow too.
    expect(together.flow!.rows.find((r) => r.group_value === 'a' && r.target === 'in_training')!.people).toBeNull();
    for (const r of together.flow!.rows.filter((r) => r.breakdown === 'track' && r.target === 'completed')) expect(r.people).not.toBeNull();
    expect(together.funnel!.rows.every((r) => r.people !== null)).toBe(true);
  });

  it('each table suppressed alone leaves a subtraction across them; together, the other table hides a cell too', () => {
    // Track a's 4 withdrawals are hidden in the flow, but the funnel prints a's enrolled (304) and
    // completed (300) counts: 304 − 300 gives them back, whatever the flow hides.
    const small = { a: [300, 0, 4], c: [352, 0, 49], d: [500, 0, 200] } as const;
    const flow: Row[] = Object.entries(small).flatMap(([track, [completed, , withdrawn]]) => [
      { breakdown: 'track', group_value: track, step: 1, source: 'enrolled', target: 'completed', people: completed },
      { breakdown: 'track', group_value: track, step: 1, source: 'enrolled', target: 'withdrawn', people: withdrawn },
    ]);
    flow.unshift(
      { breakdown: 'all', group_value: 'all', step: 1, source: 'enrolled', target: 'completed', people: 1152 },
      { breakdown: 'all', group_value: 'all', step: 1, source: 'enrolled', target: 'withdrawn', people: 253 },
    );
    const funnel: Row[] = Object.entries(small).flatMap(([track, [completed, , withdrawn]]) => [
      { breakdown: 'track', group_value: track, stage: 'enrolled', people: completed + withdrawn },
      { breakdown: 'track', group_value: track, stage: 'completed', people: completed },
    ]);
    const alone = { flow: suppressTable(flow, flowSpec), funnel: suppressTable(funnel, funnelSpec) };
    expect(differencingViolations(alone).map((v) => v.recovered)).toContain(4);
    const together = suppressTogether({ flow: { rows: flow, spec: flowSpec }, funnel: { rows: funnel, spec: funnelSpec } });
    expect(differencingViolations(together)).toEqual([]);
    expect(publicationViolations(together)).toEqual([]);
    expect(together.funnel!.rows.find((r) => r.group_value === 'a' && r.stage === 'enrolled')!.people).toBeNull();
  });
});

describe('differencing: two breakdowns of the same people', () => {
  it('recovers a hidden group from another breakdown whose groups are all shown (no page prints their total)', () => {
    const rows = [
      { breakdown: 'age_band', group_value: 'under 30', placed: 40 },
      { breakdown: 'age_band', group_value: '30 and over', placed: 27 },
      { breakdown: 'gender', group_value: 'female', placed: 30 },
      { breakdown: 'gender', group_value: 'male', placed: 33 },
      { breakdown: 'gender', group_value: 'nonbinary', placed: null }, // 67 − 63 = 4
    ];
    const table: PublishedTable = {
      k: 10, cells: { placed: { covers: 'placed' } }, margins: [], series: [], suppressed: { primary: 1, complementary: 0 }, rows,
      sums: [{ parts: { breakdown: 'gender' }, by: [], total: { where: { breakdown: 'age_band' }, sumOf: true } }],
    };
    expect(differencingViolations({ equity: table }).map((v) => v.recovered)).toEqual([4]);
    expect(sumsThatDoNotHold({ equity: { ...table, rows: rows.map((r) => ({ ...r, placed: r.placed ?? 4 })) } })).toEqual([]);
    // Suppressed with the declaration, the breakdowns give nothing away.
    const suppressed = suppressTable(rows.map((r) => ({ ...r, placed: r.placed ?? 4 })), { k: 10, cells: table.cells, sums: table.sums });
    expect(differencingViolations({ equity: suppressed })).toEqual([]);
  });
});
