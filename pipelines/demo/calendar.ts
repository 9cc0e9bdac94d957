// Calendar arithmetic for the demo: a day is a whole number of days since 1970-01-01 and a month is
// year * 12 + (month - 1). Integers keep the generator fast and free of time zones; text is made
// only when a row is written (and cached, since the same few thousand dates recur millions of times).

/** The demo's fixed as-of date: nothing generated is dated after it. */
export const AS_OF = '2026-10-31';

export function dayOf(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civil(day: number): [y: number, m: number, d: number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export const AS_OF_DAY = dayOf(2026, 10, 31);
export const AS_OF_MONTH = monthOfDay(AS_OF_DAY);

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

const CACHE_FROM = dayOf(1990, 1, 1);
const CACHE_TO = dayOf(2031, 12, 31);
const dateCache: string[] = [];

/** `YYYY-MM-DD`. */
export function dateText(day: number): string {
  if (day >= CACHE_FROM && day <= CACHE_TO) {
    const hit = dateCache[day - CACHE_FROM];
    if (hit !== undefined) return hit;
  }
  const [y, m, d] = civil(day);
  const text = `${y}-${pad2(m)}-${pad2(d)}`;
  if (day >= CACHE_FROM && day <= CACHE_TO) dateCache[day - CACHE_FROM] = text;
  return text;
}

export function monthIndex(y: number, m: number): number {
  return y * 12 + (m - 1);
}

export function monthOfDay(day: number): number {
  const [y, m] = civil(day);
  return monthIndex(y, m);
}

export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

/** Calendar month 1..12 of a month index. */
export function monthNumber(month: number): number {
  return (month % 12) + 1;
}

export function monthStart(month: number): number {
  return dayOf(yearOfMonth(month), monthNumber(month), 1);
}

export function monthEnd(month: number): number {
  return monthStart(month + 1) - 1;
}

export function daysInMonth(month: number): number {
  return monthStart(month + 1) - monthStart(month);
}

const periodCache = new Map<number, string>();

/** `YYYY-MM`. */
export function periodText(month: number): string {
  let text = periodCache.get(month);
  if (text === undefined) {
    text = `${yearOfMonth(month)}-${pad2(monthNumber(month))}`;
    periodCache.set(month, text);
  }
  return text;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The first Monday on or after `day`. */
export function mondayOnOrAfter(day: number): number {
  return day + ((8 - weekday(day)) % 7);
}

/** `day` moved to the previous Friday when it falls on a weekend. */
export function weekdayOnOrBefore(day: number): number {
  const w = weekday(day);
  return w === 0 ? day - 2 : w === 6 ? day - 1 : day;
}

/** The same day of the month `n` months later, clamped to the month's last day. */
export function addMonths(day: number, n: number): number {
  const [y, m, d] = civil(day);
  const target = monthIndex(y, m) + n;
  return Math.min(monthStart(target) + d - 1, monthEnd(target));
}
