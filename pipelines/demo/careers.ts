// Careers after the programme: employment spells (employment.csv) and monthly gross income
// (income.csv). Graduates mostly start through impact sourcing (project work via a partner IT vendor),
// some move on to a direct hire at a client, some have gaps; pay rises with IT tenure.
import { AS_OF_DAY, AS_OF_MONTH, daysInMonth, monthEnd, monthOfDay, monthStart } from './calendar.ts';
import type { JapaneseLevel } from './origins.ts';
import type { Enrollment, Participant } from './programme.ts';
import { Weighted, type Random } from './random.ts';

export type EmploymentType = 'impact_sourcing' | 'direct_hire' | 'other';
export type ContractForm = 'full_time' | 'part_time' | 'fixed_term' | 'freelance';
export type IncomeSource = 'payslip' | 'tax_certificate' | 'employer_report' | 'self_report';

export interface Spell {
  employer: string;
  type: EmploymentType;
  itRole: boolean;
  contract: ContractForm;
  start: number;
  /** Last day, or null while the spell continues at the as-of date. */
  end: number | null;
  startMonth: number;
  endMonth: number;
  hours: number;
  hoursKnown: boolean;
  /** Gross monthly pay at the start of the spell, for its hours. */
  base: number;
  /** Monthly pay growth within the spell (fraction of base per month). */
  growth: number;
}

export interface IncomeRow {
  month: number;
  amount: number;
  source: IncomeSource;
  verified: boolean;
}

/** The partner IT vendor whose October 2026 payroll arrives as a separate Shift_JIS file (--dirty). */
export const PAYROLL_VENDOR = 'VENDOR-03';

function numbered(prefix: string, from: number, weights: readonly number[]): Weighted<string> {
  return new Weighted(weights.map((w, i) => [`${prefix}-${String(from + i).padStart(2, '0')}`, w] as const));
}

// Partner IT vendors (impact sourcing), IT client companies (direct hire), non-IT employers (retail, logistics, food).
const VENDORS = numbered('VENDOR', 1, [8, 6, 10, 5, 4, 4, 3, 3, 2, 2, 1.5, 1.5]);
const IT_EMPLOYERS = numbered('EMPLOYER', 1, Array.from({ length: 30 }, (_, i) => 1 / (1 + 0.15 * i)));
const OTHER_EMPLOYERS = numbered('EMPLOYER', 31, Array.from({ length: 10 }, (_, i) => 1 / (1 + 0.3 * i)));

const FIRST_JOB = Weighted.of<EmploymentType>({ impact_sourcing: 72, direct_hire: 20, other: 8 });
const AFTER_GAP = Weighted.of<EmploymentType>({ impact_sourcing: 60, direct_hire: 25, other: 15 });
const AFTER_DIRECT = Weighted.of<EmploymentType>({ direct_hire: 60, impact_sourcing: 40 });
const AFTER_OTHER_GRADUATE = Weighted.of<EmploymentType>({ impact_sourcing: 45, other: 35, direct_hire: 20 });
const AFTER_OTHER_NON_GRADUATE = Weighted.of<EmploymentType>({ other: 85, direct_hire: 10, impact_sourcing: 5 });
const IMPACT_CONTRACT = Weighted.of<ContractForm>({ fixed_term: 55, full_time: 30, freelance: 15 });
const DIRECT_CONTRACT = Weighted.of<ContractForm>({ full_time: 85, fixed_term: 15 });
const OTHER_CONTRACT = Weighted.of<ContractForm>({ part_time: 70, fixed_term: 30 });
const CHANNEL = Weighted.of<IncomeSource>({ payslip: 86, employer_report: 9, self_report: 5 });
const BASELINE_SOURCE = Weighted.of<IncomeSource>({ self_report: 60, payslip: 30, tax_certificate: 10 });

const VERIFIED_SHARE: Record<IncomeSource, number> = { payslip: 0.97, tax_certificate: 1, employer_report: 0.95, self_report: 0.12 };
const LANGUAGE_PAY: Record<JapaneseLevel, number> = { none: 0.94, N5: 0.97, N4: 1, N3: 1.03, N2: 1.07, N1: 1.12 };
const LANGUAGE_SEARCH: Record<JapaneseLevel, number> = { none: 1.3, N5: 1.15, N4: 1, N3: 0.95, N2: 0.85, N1: 0.8 };
const LANGUAGE_NEVER: Record<JapaneseLevel, number> = { none: 0.05, N5: 0.02, N4: 0, N3: 0, N2: -0.03, N1: -0.03 };

const roundTo = (x: number, unit: number) => Math.round(x / unit) * unit;

/** Japanese employers usually start people on the first of a month. */
function firstOfNextMonthOften(rng: Random, day: number, p: number): number {
  if (!rng.chance(p)) return day;
  const month = monthOfDay(day);
  return monthStart(day === monthStart(month) ? month : month + 1);
}

function months(rng: Random, choices: readonly number[], start: number): number {
  return monthEnd(monthOfDay(start) + rng.pick(choices) - 1);
}

function newSpell(rng: Random, type: EmploymentType, start: number, prev: Spell | null, payFactor: number): Spell {
  let employer: string;
  let contract: ContractForm;
  let itRole: boolean;
  let hours = 40;
  let base: number;
  let end: number;
  const prevPay = prev && prev.itRole ? prev.base * (1 + prev.growth * (prev.endMonth - prev.startMonth)) : 0;
  if (type === 'impact_sourcing') {
    employer = rng.weighted(VENDORS);
    contract = rng.weighted(IMPACT_CONTRACT);
    itRole = rng.chance(0.97);
    base = 232_000 * payFactor * rng.normal(1, 0.07);
    if (contract === 'freelance') {
      hours = rng.pick([20, 30, 40]);
      base *= 1.1;
      end = months(rng, [3, 6, 6, 9, 12], start);
    } else if (contract === 'fixed_term') {
      if (rng.chance(0.15)) hours = 32;
      end = months(rng, [6, 6, 12, 12, 12, 18, 24], start);
    } else {
      end = start + Math.max(90, Math.round(rng.exponential(30 * 30.4)));
    }
    base = Math.max(base, prevPay * 1.03) * (hours / 40);
  } else if (type === 'direct_hire') {
    employer = rng.weighted(IT_EMPLOYERS);
    contract = rng.weighted(DIRECT_CONTRACT);
    itRole = rng.chance(0.9);
    base = Math.max(285_000 * payFactor * rng.normal(1, 0.08), prevPay * 1.08);
    end = contract === 'fixed_term' ? months(rng, [12, 24], start) : start + Math.max(120, Math.round(rng.exponential(48 * 30.4)));
  } else {
    employer = rng.weighted(OTHER_EMPLOYERS);
    contract = rng.weighted(OTHER_CONTRACT);
    itRole = rng.chance(0.08);
    if (contract === 'part_time') {
      hours = rng.int(20, 30);
      base = rng.int(1_100, 1_450) * hours * 4.33;
      end = start + Math.max(30, Math.round(rng.exponential(10 * 30.4)));
    } else {
      base = 195_000 * rng.normal(1, 0.06);
      end = months(rng, [6, 12], start);
    }
  }
  const open = end >= AS_OF_DAY;
  return {
    employer,
    type,
    itRole,
    contract,
    start,
    end: open ? null : end,
    startMonth: monthOfDay(start),
    endMonth: open ? Number.POSITIVE_INFINITY : monthOfDay(end),
    hours,
    hoursKnown: rng.chance(0.96),
    base: roundTo(Math.max(base, 60_000), 1_000),
    growth: itRole ? 0.004 : 0.0015,
  };
}

/** Employment spells of one participant, in time order, none starting after the as-of date. */
export function makeSpells(rng: Random, p: Participant, e: Enrollment): Spell[] {
  let start: number;
  let type: EmploymentType;
  const graduate = e.status === 'completed' && e.completedOn !== null;
  if (graduate) {
    if (rng.chance(0.08 + LANGUAGE_NEVER[p.japanese])) return [];
    const u = rng.float();
    const delay = u < 0.35 ? rng.int(7, 45) : u < 0.8 ? rng.int(45, 150) : rng.int(150, 420);
    start = (e.completedOn as number) + Math.round(delay * LANGUAGE_SEARCH[p.japanese]);
    type = rng.weighted(FIRST_JOB);
  } else if (e.status === 'withdrawn' && e.withdrawnOn !== null && rng.chance(0.25)) {
    // Some leave the course because they found (non-IT) work.
    start = e.withdrawnOn + rng.int(0, 60);
    type = 'other';
  } else {
    return [];
  }
  start = firstOfNextMonthOften(rng, start, 0.7);
  const payFactor = (graduate ? e.cohort.track.salaryFactor : 1) * LANGUAGE_PAY[p.japanese];
  const spells: Spell[] = [];
  let prev: Spell | null = null;
  while (start <= AS_OF_DAY && spells.length < 12) {
    const spell = newSpell(rng, type, start, prev, payFactor);
    spells.push(spell);
    if (spell.end === null) break;
    let gap: number;
    if (spell.type === 'impact_sourcing') {
      const u = rng.float();
      if (u < 0.35) [type, gap] = ['direct_hire', 0];
      else if (u < 0.8) [type, gap] = ['impact_sourcing', rng.int(0, 30)];
      else [type, gap] = [rng.weighted(AFTER_GAP), rng.int(30, 150)];
    } else if (spell.type === 'direct_hire') {
      [type, gap] = [rng.weighted(AFTER_DIRECT), rng.int(0, 90)];
    } else {
      [type, gap] = [rng.weighted(graduate ? AFTER_OTHER_GRADUATE : AFTER_OTHER_NON_GRADUATE), rng.int(0, 60)];
    }
    start = firstOfNextMonthOften(rng, spell.end + 1 + gap, 0.5);
    prev = spell;
  }
  return spells;
}

function verifiedFor(rng: Random, source: IncomeSource): boolean {
  return rng.chance(VERIFIED_SHARE[source]);
}

/** Pay earned from one spell in one month: growth with tenure, overtime, and pro rata for part months. */
function payIn(rng: Random, s: Spell, month: number): number {
  if (month < s.startMonth || month > s.endMonth) return 0;
  const from = Math.max(s.start, monthStart(month));
  const to = Math.min(s.end ?? Number.POSITIVE_INFINITY, monthEnd(month));
  const share = (to - from + 1) / daysInMonth(month);
  const noise = s.contract === 'freelance' ? Math.min(1.6, Math.max(0.5, rng.normal(1, 0.15))) : 1 + Math.max(0, rng.normal(0.03, 0.04));
  return s.base * (1 + s.growth * (month - s.startMonth)) * share * noise;
}

export interface IncomeResult {
  rows: IncomeRow[];
  /** October 2026 pay from the payroll vendor: reported in the vendor's own file, not in income.csv. */
  payroll: IncomeRow | null;
}

/**
 * Reported income of one participant, in month order:
 *  - a pre-programme baseline (self-reported, payslips or a tax certificate) for most participants,
 *    which half of those with a job keep reporting while they train;
 *  - every month with pay while employed after the programme, less months nobody reported;
 *  - for some participants placed through a vendor, the vendor's own monthly report as a second row
 *    for the same month. Two sources for one month always agree on the amount, so the income of a
 *    month is never ambiguous (for CIB repayments or SIB outcomes).
 */
export function makeIncome(rng: Random, p: Participant, e: Enrollment, spells: readonly Spell[]): IncomeResult {
  const rows: IncomeRow[] = [];
  if (rng.chance(0.6)) {
    const enrolMonth = monthOfDay(e.enrolledOn);
    const n = rng.int(4, 12);
    const arrivalMonth = monthOfDay(p.arrival);
    const zero = (p.status === 'asylum_seeker' && rng.chance(0.45)) || rng.chance(0.08);
    const source = zero ? 'self_report' : rng.weighted(BASELINE_SOURCE);
    const level = rng.int(60, 190) * 1_000;
    // A part-time job kept while training is reported until the month before training ends.
    const trainingEnd = e.completedOn ?? e.withdrawnOn ?? AS_OF_DAY;
    const until = !zero && source !== 'tax_certificate' && rng.chance(0.5) ? Math.min(AS_OF_MONTH, monthOfDay(trainingEnd) - 1) : enrolMonth - 1;
    for (let m = enrolMonth - n; m <= until; m++) {
      if (m <= arrivalMonth) continue;
      let amount = 0;
      if (!zero) {
        if (source === 'tax_certificate') amount = level;
        else if (source === 'self_report') amount = roundTo(level * rng.normal(1, 0.08), 1_000);
        else amount = Math.round(level * rng.normal(1, 0.08));
      }
      rows.push({ month: m, amount: Math.max(0, amount), source, verified: verifiedFor(rng, source) });
    }
  }
  let payroll: IncomeRow | null = null;
  const first = spells[0];
  if (first) {
    const last = spells[spells.length - 1] as Spell;
    const lastMonth = Math.min(AS_OF_MONTH, last.endMonth);
    const channel = rng.weighted(CHANNEL);
    const vendorReports = channel === 'payslip' && rng.chance(0.35);
    const stopAt = rng.chance(0.04) ? first.startMonth + rng.int(2, 24) : Number.POSITIVE_INFINITY;
    for (let m = first.startMonth; m <= lastMonth; m++) {
      let pay = 0;
      let working = 0;
      let allVendor = true;
      let only: Spell | null = null;
      for (const s of spells) {
        const x = payIn(rng, s, m);
        if (x > 0) {
          pay += x;
          working++;
          only = s;
          if (s.type !== 'impact_sourcing') allVendor = false;
        }
      }
      if (working === 0) continue;
      const amount = Math.round(pay);
      if (m === AS_OF_MONTH && working === 1 && only && only.employer === PAYROLL_VENDOR && only.start <= monthStart(m) && only.end === null) {
        payroll = { month: m, amount, source: 'payslip', verified: true };
        continue;
      }
      if (m >= stopAt) continue;
      if (m === AS_OF_MONTH && rng.chance(0.45)) continue; // not yet reported at the as-of date
      if (rng.chance(0.04)) continue; // never reported
      const source = rng.chance(0.03) ? 'self_report' : channel;
      rows.push({
        month: m,
        amount: source === 'self_report' ? roundTo(amount, 1_000) : amount,
        source,
        verified: verifiedFor(rng, source),
      });
      if (vendorReports && allVendor && source === 'payslip') rows.push({ month: m, amount, source: 'employer_report', verified: verifiedFor(rng, 'employer_report') });
    }
  }
  return { rows, payroll };
}
