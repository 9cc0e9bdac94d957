// Calendar arithmetic on ISO dates (YYYY-MM-DD), in whole days, UTC: no time zone is involved.
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

/** The ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return isoDate(dayNumber(iso) + days);
}

/** Last day of the month of an ISO date. */
export function lastDayOfMonth(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return isoDate(Date.UTC(y, m, 0) / DAY_MS);
}

/** First day of the month of an ISO date. */
export function firstDayOfMonth(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}
