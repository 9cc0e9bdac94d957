// Japanese era (和暦) dates, as municipal documents print them beside the Western date:
// 2026-11-24 → 令和8年11月24日; the first year of an era is 元年 (2019-05-01 → 令和元年5月1日).
// Eras are counted from their first day in the Gregorian calendar.

export interface Era {
  name: string;
  /** Romanised, for the English edition. */
  romaji: string;
  /** First day (ISO). */
  start: string;
}

/** Newest first. Meiji is given from Japan's adoption of the Gregorian calendar (明治6年1月1日). */
export const ERAS: readonly Era[] = [
  { name: '令和', romaji: 'Reiwa', start: '2019-05-01' },
  { name: '平成', romaji: 'Heisei', start: '1989-01-08' },
  { name: '昭和', romaji: 'Showa', start: '1926-12-25' },
  { name: '大正', romaji: 'Taisho', start: '1912-07-30' },
  { name: '明治', romaji: 'Meiji', start: '1873-01-01' },
];

const MEIJI_FIRST_YEAR = 1868;

export interface EraYear {
  era: Era;
  /** 1 for the era's first year. */
  year: number;
}

/** The era and era year of an ISO date. */
export function eraYearOf(iso: string): EraYear {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not an ISO date: ${iso}`);
  const era = ERAS.find((e) => iso >= e.start);
  if (!era) throw new Error(`${iso} is before the Gregorian calendar was adopted in Japan (1873-01-01).`);
  const first = era.romaji === 'Meiji' ? MEIJI_FIRST_YEAR : Number(era.start.slice(0, 4));
  return { era, year: Number(iso.slice(0, 4)) - first + 1 };
}

const yearText = (year: number) => (year === 1 ? '元' : String(year));

/** 令和8年11月24日 */
export function eraDate(iso: string): string {
  const { era, year } = eraYearOf(iso);
  return `${era.name}${yearText(year)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** 令和8年11月 */
export function eraMonth(iso: string): string {
  const { era, year } = eraYearOf(iso);
  return `${era.name}${yearText(year)}年${Number(iso.slice(5, 7))}月`;
}

/**
 * 令和8年度 for the fiscal year starting 1 April of `fiscalYear`: the era in force on that day
 * (so FY2019 is 平成31年度, as its budget was passed; documents written later often say 令和元年度).
 */
export function eraFiscalYear(fiscalYear: number): string {
  const { era, year } = eraYearOf(`${fiscalYear}-04-01`);
  return `${era.name}${yearText(year)}年度`;
}

/** Reiwa 8, for the English edition. */
export function eraYearRomaji(iso: string): string {
  const { era, year } = eraYearOf(iso);
  return `${era.romaji} ${year}`;
}
