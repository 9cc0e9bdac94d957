// Reporting periods (month, quarter, Japanese fiscal year) and Japanese era dates: hand examples and properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eraDate, eraFiscalYear, eraMonth, eraYearOf, eraYearRomaji } from '../reports/era.ts';
import { inPeriod, latestCompletePeriod, parsePeriod, parsePeriodText } from '../reports/period.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextDay = (d: string) => iso(Date.parse(`${d}T00:00:00Z`) + DAY);

describe('parsePeriod', () => {
  it('reads a month, a calendar quarter and a fiscal year running April to March', () => {
    expect(parsePeriod('2026-09')).toEqual({ kind: 'month', text: '2026-09', start: '2026-09-01', end: '2026-09-30', months: ['2026-09-01'] });
    expect(parsePeriod('2024-02').end).toBe('2024-02-29');
    expect(parsePeriod('2026Q3')).toEqual({
      kind: 'quarter', text: '2026Q3', start: '2026-07-01', end: '2026-09-30', months: ['2026-07-01', '2026-08-01', '2026-09-01'],
    });
    expect(parsePeriod('2026q4').end).toBe('2026-12-31');
    expect(parsePeriod('2026-Q1').text).toBe('2026Q1');
    const fy = parsePeriod('FY2026');
    expect([fy.kind, fy.text, fy.start, fy.end, fy.months.length]).toEqual(['fiscal_year', 'FY2026', '2026-04-01', '2027-03-31', 12]);
    expect(fy.months.at(-1)).toBe('2027-03-01');
  });

  it('refuses anything else with one sentence naming the three forms', () => {
    for (const bad of ['2026-13', '2026Q5', '2026-9', 'FY26', '2026', 'Q3', '', '2026-00', 'FY 20266']) {
      expect(parsePeriodText(bad)).toBeNull();
      expect(() => parsePeriod(bad)).toThrow(/month \(2026-09\), a quarter \(2026Q3\) or a fiscal year \(FY2026/);
    }
  });

  it('tiles time: every day belongs to exactly one month, one quarter and one fiscal year, each made of whole months', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 11, 31) }), (ms) => {
        const d = iso(ms);
        const y = Number(d.slice(0, 4));
        const m = Number(d.slice(5, 7));
        const month = parsePeriod(d.slice(0, 7));
        const quarter = parsePeriod(`${y}Q${Math.floor((m - 1) / 3) + 1}`);
        const fiscal = parsePeriod(`FY${m >= 4 ? y : y - 1}`);
        for (const p of [month, quarter, fiscal]) {
          expect(inPeriod(p, d)).toBe(true);
          expect(p.months[0]).toBe(p.start);
          expect(nextDay(p.end).slice(8)).toBe('01');
          // The next period of the same kind starts the day after this one ends.
          expect(p.months.every((x, i) => i === 0 || x > p.months[i - 1]!)).toBe(true);
        }
        expect(inPeriod(parsePeriod(month.text), nextDay(month.end))).toBe(false);
        expect(fiscal.months).toHaveLength(12);
        expect(quarter.months).toHaveLength(3);
        // A period parsed from its own text is itself.
        expect(parsePeriod(fiscal.text)).toEqual(fiscal);
      }),
    );
  });

  it('finds the latest complete quarter, fiscal year and month at an as-of date', () => {
    expect(latestCompletePeriod('quarter', '2026-10-31').text).toBe('2026Q3');
    expect(latestCompletePeriod('quarter', '2026-09-30').text).toBe('2026Q3');
    expect(latestCompletePeriod('quarter', '2026-03-30').text).toBe('2025Q4');
    expect(latestCompletePeriod('fiscal_year', '2026-10-31').text).toBe('FY2025');
    expect(latestCompletePeriod('fiscal_year', '2027-03-31').text).toBe('FY2026');
    expect(latestCompletePeriod('month', '2026-10-31').text).toBe('2026-10');
    expect(latestCompletePeriod('month', '2026-01-15').text).toBe('2025-12');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 11, 31) }), fc.constantFrom('month', 'quarter', 'fiscal_year' as const), (ms, kind) => {
        const asOf = iso(ms);
        const p = latestCompletePeriod(kind, asOf);
        expect(p.end <= asOf).toBe(true);
        // The next period of the kind has not ended yet.
        const following = latestCompletePeriod(kind, nextDay(p.end).slice(0, 8) + '28');
        expect(following.end >= p.end).toBe(true);
      }),
    );
  });
});

describe('Japanese era dates', () => {
  it('writes the era, 元年 for an era\'s first year, and switches on the first day of the era', () => {
    expect(eraDate('2026-11-24')).toBe('令和8年11月24日');
    expect(eraDate('2019-05-01')).toBe('令和元年5月1日');
    expect(eraDate('2019-04-30')).toBe('平成31年4月30日');
    expect(eraDate('1989-01-08')).toBe('平成元年1月8日');
    expect(eraDate('1989-01-07')).toBe('昭和64年1月7日');
    expect(eraDate('1926-12-25')).toBe('昭和元年12月25日');
    expect(eraDate('1912-07-30')).toBe('大正元年7月30日');
    expect(eraDate('1900-01-01')).toBe('明治33年1月1日');
    expect(eraMonth('2026-04-01')).toBe('令和8年4月');
    expect(eraFiscalYear(2026)).toBe('令和8年度');
    expect(eraFiscalYear(2020)).toBe('令和2年度');
    expect(eraFiscalYear(1989)).toBe('平成元年度');
    expect(eraYearRomaji('2026-11-24')).toBe('Reiwa 8');
    expect(() => eraDate('1850-01-01')).toThrow(/Gregorian/);
  });

  it('counts era years so that consecutive days differ by at most one year, and a new era starts at 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1874, 0, 1), max: Date.UTC(2090, 11, 31) }), (ms) => {
        const d = iso(ms);
        const a = eraYearOf(d);
        const b = eraYearOf(nextDay(d));
        if (a.era === b.era) expect(b.year - a.year).toBe(d.slice(0, 4) === nextDay(d).slice(0, 4) ? 0 : 1);
        else expect([b.year, b.era.start]).toEqual([1, nextDay(d)]);
        // Within an era, the Western year is the era year plus a constant.
        expect(Number(d.slice(0, 4)) - a.year).toBe(Number(a.era.start.slice(0, 4)) - (a.era.romaji === 'Meiji' ? 5 : 0) - 1);
      }),
    );
  });
});
