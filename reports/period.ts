// The reporting periods a report covers: a calendar month (2026-09), a calendar quarter (2026Q3) or
// a Japanese fiscal year (FY2026 = 1 April 2026 to 31 March 2027, as municipalities budget).
// Dates are ISO strings; a period's start and end are both inclusive.
import { z } from 'zod';

export type PeriodKind = 'month' | 'quarter' | 'fiscal_year';

export interface Period {
  kind: PeriodKind;
  /** The canonical text: 2026-09, 2026Q3 or FY2026. */
  text: string;
  /** First day (inclusive). */
  start: string;
  /** Last day (inclusive). */
  end: string;
  /** The months the period covers, as their first days, in order. */
  months: string[];
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const monthStart = (y: number, m: number) => `${y}-${pad2(m)}-01`;
/** Last day of month m (1–12) of year y. */
const monthEnd = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);

/** The period of `months` consecutive months from month m of year y. */
function span(kind: PeriodKind, text: string, y: number, m: number, months: number): Period {
  const list: string[] = [];
  for (let i = 0; i < months; i++) {
    const mm = m - 1 + i;
    list.push(monthStart(y + Math.floor(mm / 12), (mm % 12) + 1));
  }
  const lastIndex = m - 1 + months - 1;
  return { kind, text, start: list[0]!, end: monthEnd(y + Math.floor(lastIndex / 12), (lastIndex % 12) + 1), months: list };
}

const YEAR = '(\\d{4})';
const MONTH_RE = new RegExp(`^${YEAR}-(0[1-9]|1[0-2])$`);
const QUARTER_RE = new RegExp(`^${YEAR}\\s*-?\\s*Q([1-4])$`, 'i');
const FISCAL_RE = new RegExp(`^FY\\s*${YEAR}$`, 'i');

/** Parses 2026-09, 2026Q3 (also 2026-Q3, 2026q3) or FY2026 (also fy2026); null when it is none of them. */
export function parsePeriodText(text: string): Period | null {
  const t = text.trim();
  let m = MONTH_RE.exec(t);
  if (m) return span('month', `${m[1]}-${m[2]}`, Number(m[1]), Number(m[2]), 1);
  m = QUARTER_RE.exec(t);
  if (m) return span('quarter', `${m[1]}Q${m[2]}`, Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 3);
  m = FISCAL_RE.exec(t);
  if (m) return span('fiscal_year', `FY${m[1]}`, Number(m[1]), 4, 12);
  return null;
}

export const periodSchema = z.string().transform((text, ctx) => {
  const period = parsePeriodText(text);
  if (period === null || Number(period.start.slice(0, 4)) < 1900) {
    ctx.addIssue({ code: 'custom', message: `--period must be a month (2026-09), a quarter (2026Q3) or a fiscal year (FY2026, April to March), not "${text}".` });
    return z.NEVER;
  }
  return period;
});

/** Parses a period or throws one plain sentence. */
export function parsePeriod(text: string): Period {
  const result = periodSchema.safeParse(text);
  if (!result.success) throw new Error(result.error.issues[0]!.message);
  return result.data;
}

/** Whether an ISO date falls within the period (both ends inclusive). */
export function inPeriod(period: Period, iso: string): boolean {
  return iso >= period.start && iso <= period.end;
}

/**
 * The latest period of a kind that has ended by `asOf`: the last complete quarter or fiscal year
 * (what the demo reports cover), or month.
 */
export function latestCompletePeriod(kind: PeriodKind, asOf: string): Period {
  const y = Number(asOf.slice(0, 4));
  const mo = Number(asOf.slice(5, 7));
  const endsOn = (p: Period) => p.end <= asOf;
  let candidate: Period;
  if (kind === 'month') {
    candidate = parsePeriod(`${y}-${pad2(mo)}`);
    if (!endsOn(candidate)) candidate = parsePeriod(mo === 1 ? `${y - 1}-12` : `${y}-${pad2(mo - 1)}`);
  } else if (kind === 'quarter') {
    const q = Math.floor((mo - 1) / 3) + 1;
    candidate = parsePeriod(`${y}Q${q}`);
    if (!endsOn(candidate)) candidate = parsePeriod(q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`);
  } else {
    const fy = mo >= 4 ? y : y - 1;
    candidate = parsePeriod(`FY${fy}`);
    if (!endsOn(candidate)) candidate = parsePeriod(`FY${fy - 1}`);
  }
  return candidate;
}
