// Report file names: one file per contract on every system, Unicode kept.
import { describe, expect, it } from 'vitest';
import { contractFileStem, municipalFileNames } from '../reports/generate.ts';
import { parsePeriod } from '../reports/period.ts';

describe('contractFileStem', () => {
  it.each(['新宿区SIB-2023', '江戸川SIB-2023', 'SIB-SHINJUKU-2023', 'SIB 2023 (横浜)'])('keeps %s as it is', (id) => {
    expect(contractFileStem(id)).toBe(id);
  });
  it.each(['SIB/2023', 'SIB\\2023', 'a:b', 'a*b?', 'a<b>|"c"', 'x\u0000y', '.hidden', 'trailing.', 'CON', 'nul', 'e\u0301'])('makes %j safe and adds a short hash', (id) => {
    const stem = contractFileStem(id);
    expect(stem).toMatch(/-[0-9a-f]{8}$/);
    expect(stem).not.toMatch(/[<>:"/\\|?*\u0000-\u001f]|^\./);
  });
  it('two ids that differ only in a replaced character get different names', () => {
    expect(contractFileStem('SIB/2023')).not.toBe(contractFileStem('SIB:2023'));
  });
});

describe('municipalFileNames', () => {
  const period = parsePeriod('2026Q3');
  it('gives ids that differ only in case (one file on macOS and Windows) their own names', () => {
    const names = [...municipalFileNames(['SIB-A', 'sib-a', 'SIB-B'], period, 'ja').values()];
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    expect(names).toContain('SIB-B_2026Q3_ja.pdf');
  });
  it('keeps Japanese contract ids distinct', () => {
    expect([...municipalFileNames(['新宿区SIB-2023', '江戸川SIB-2023'], period, 'en').values()]).toEqual(['新宿区SIB-2023_2026Q3_en.pdf', '江戸川SIB-2023_2026Q3_en.pdf']);
  });
});
