// Dates given on the command line (--as-of, --issued-on) are calendar days written YYYY-MM-DD.

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 and 2026-13-45 are not). */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
