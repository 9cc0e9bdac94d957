// Social Impact Bonds: three municipal outcome contracts (sib_contracts.csv), their rate cards
// (sib_outcomes.csv), the participants referred to them (sib_referrals.csv) and the investors' cash
// flows (sib_cashflows.csv). Referrals are written while participants stream by; what they achieve is
// tallied per contract, outcome and day (a few kilobytes at any scale) and priced at the end, when the
// rate card's limits (max_count, payment cap) are applied in date order.
import { AS_OF, AS_OF_DAY, AS_OF_MONTH, addMonths, dateText, dayOf, monthEnd, monthOfDay, monthStart } from './calendar.ts';
import type { IncomeRow, Spell } from './careers.ts';
import { municipalityByCode5, type Municipality } from './municipalities.ts';
import type { Enrollment, Participant } from './programme.ts';
import type { Random } from './random.ts';
import { dayNumber, incomeAtLeastOn, jobStartOn, sustainedEmploymentOn, type IncomeMonth, type Spell as EngineSpell } from '../metrics/sib/index.ts';

export type OutcomeKind = 'job_start' | 'sustained_employment' | 'income_at_least';

export interface OutcomeDef {
  code: string;
  kind: OutcomeKind;
  parameter: number;
  price: number;
  /** max_count as a share of the contract's referrals (the municipality budgets per referral); none when absent. */
  maxCountPerReferral?: number;
}

export interface ContractDef {
  id: string;
  municipality: Municipality;
  name: string;
  /** The contract's name in English (sib_contracts.name_en). */
  nameEn: string;
  start: number;
  end: number;
  outcomes: readonly OutcomeDef[];
  /** Payment cap per referral: small for the contract whose cap binds (outcomes beat the budget), generous otherwise. */
  capPerReferral: number;
  /** Investor capital committed per referral. */
  capitalPerReferral: number;
}

export const SIB_CONTRACTS: readonly ContractDef[] = [
  {
    id: 'SIB-SHINJUKU-2023',
    municipality: municipalityByCode5('13104'),
    name: '新宿区 難民・移民IT人材就労支援 成果連動型委託',
    nameEn: 'Shinjuku: IT employment support for refugees and migrants (outcomes-based contract)',
    start: dayOf(2023, 4, 1),
    end: dayOf(2027, 3, 31),
    outcomes: [
      { code: 'JOB_START', kind: 'job_start', parameter: 180, price: 200_000 },
      { code: 'SUSTAIN_180', kind: 'sustained_employment', parameter: 180, price: 400_000 },
      { code: 'INCOME_250K', kind: 'income_at_least', parameter: 250_000, price: 150_000, maxCountPerReferral: 0.9 },
    ],
    capPerReferral: 900_000,
    capitalPerReferral: 350_000,
  },
  {
    id: 'SIB-EDOGAWA-2023',
    municipality: municipalityByCode5('13123'),
    name: '江戸川区 外国人材デジタル就労 ソーシャル・インパクト・ボンド',
    nameEn: 'Edogawa: digital jobs for foreign residents (Social Impact Bond)',
    start: dayOf(2023, 10, 1),
    end: dayOf(2026, 9, 30),
    outcomes: [
      { code: 'JOB_START', kind: 'job_start', parameter: 180, price: 250_000 },
      { code: 'SUSTAIN_180', kind: 'sustained_employment', parameter: 180, price: 450_000 },
    ],
    capPerReferral: 150_000,
    capitalPerReferral: 125_000,
  },
  {
    id: 'SIB-YOKOHAMA-2024',
    municipality: municipalityByCode5('14100'),
    name: '横浜市 IT人材育成・就労 成果連動型民間委託',
    nameEn: 'Yokohama: IT training and employment (pay-for-success contract)',
    start: dayOf(2024, 4, 1),
    end: dayOf(2027, 3, 31),
    outcomes: [
      { code: 'JOB_START', kind: 'job_start', parameter: 120, price: 180_000, maxCountPerReferral: 0.4 },
      { code: 'SUSTAIN_180', kind: 'sustained_employment', parameter: 180, price: 350_000 },
      { code: 'SUSTAIN_365', kind: 'sustained_employment', parameter: 365, price: 300_000 },
      { code: 'INCOME_250K', kind: 'income_at_least', parameter: 250_000, price: 200_000 },
    ],
    capPerReferral: 1_500_000,
    capitalPerReferral: 380_000,
  },
];

const FIRST_DAY = dayOf(2022, 1, 1);

/** Outcomes achieved under each contract, counted per outcome code and day. */
export class SibLedger {
  readonly referrals = new Map<string, number>();
  private readonly achieved = new Map<string, Int32Array>();

  constructor(readonly contracts: readonly ContractDef[]) {
    for (const c of contracts) {
      this.referrals.set(c.id, 0);
      for (const o of c.outcomes) this.achieved.set(`${c.id}/${o.code}`, new Int32Array(AS_OF_DAY - FIRST_DAY + 1));
    }
  }

  /** The contract this participant is referred to, and when; null when not referred. */
  refer(rng: Random, p: Participant, e: Enrollment): { contract: ContractDef; referredOn: number } | null {
    const contract = this.contracts.find((c) => c.municipality.code5 === p.municipality.code5);
    if (!contract || e.enrolledOn < contract.start - 30 || e.enrolledOn > contract.end) return null;
    if (!rng.chance(0.9)) return null;
    const referredOn = Math.min(contract.end, Math.max(contract.start, e.enrolledOn - rng.int(0, 20)));
    if (referredOn > AS_OF_DAY) return null;
    this.referrals.set(contract.id, (this.referrals.get(contract.id) ?? 0) + 1);
    return { contract, referredOn };
  }

  /** Records what a referred participant achieved (at most one of each outcome). */
  record(contract: ContractDef, referredOn: number, e: Enrollment, spells: readonly Spell[], income: readonly IncomeRow[]): void {
    if (e.completedOn === null) return;
    const completedOn = e.completedOn;
    const from = Math.max(referredOn, contract.start);
    const to = Math.min(contract.end, AS_OF_DAY);
    for (const o of contract.outcomes) {
      const day = achievedOn(o, completedOn, spells, income);
      if (day === null || day < from || day > to) continue;
      const counts = this.achieved.get(`${contract.id}/${o.code}`) as Int32Array;
      counts[day - FIRST_DAY] = (counts[day - FIRST_DAY] as number) + 1;
    }
  }

  counts(contract: ContractDef, o: OutcomeDef): Int32Array {
    return this.achieved.get(`${contract.id}/${o.code}`) as Int32Array;
  }
}

/** Which source's figure counts when a month is reported more than once (core.income_months). */
const SOURCE_RANK: Record<IncomeRow['source'], number> = { payslip: 1, employer_report: 2, tax_certificate: 3, self_report: 4 };

/**
 * The day an outcome is achieved, by the engine's own rules (pipelines/metrics/sib/achievements.ts,
 * docs/metrics/sib.md): the first job after completion within `parameter` days; the first run of
 * spells (gaps of up to 14 days joined, open spells cut at the as-of date) lasting `parameter` days;
 * the first verified month from the month of completion with income at or above `parameter`,
 * taking one figure per month, the most authoritative source's. Null when not achieved.
 */
export function achievedOn(o: OutcomeDef, completedOn: number, spells: readonly Spell[], income: readonly IncomeRow[]): number | null {
  const completed = dateText(completedOn);
  let on: string | null;
  if (o.kind === 'job_start') on = jobStartOn(completed, engineSpells(spells), o.parameter);
  else if (o.kind === 'sustained_employment') on = sustainedEmploymentOn(completed, engineSpells(spells), o.parameter, AS_OF);
  else on = incomeAtLeastOn(completed, incomeMonths(income), o.parameter);
  return on === null ? null : dayNumber(on);
}

function engineSpells(spells: readonly Spell[]): EngineSpell[] {
  return spells.map((s) => ({ startedOn: dateText(s.start), endedOn: s.end === null ? null : dateText(s.end) }));
}

function incomeMonths(income: readonly IncomeRow[]): IncomeMonth[] {
  const chosen = new Map<number, IncomeRow>();
  for (const row of income) {
    const seen = chosen.get(row.month);
    if (!seen || SOURCE_RANK[row.source] < SOURCE_RANK[seen.source]) chosen.set(row.month, row);
  }
  return [...chosen.values()].map((r) => ({ period: dateText(monthStart(r.month)), grossIncomeJpy: r.amount, verified: r.verified }));
}

export interface SibFiles {
  contracts: Array<[string, string, string, string, string, number, string]>;
  outcomes: Array<[string, string, OutcomeKind, number, number, number | null]>;
  cashflows: Array<[string, string, 'investor' | 'municipality' | 'provider', number]>;
}

const ceilTo = (x: number, unit: number) => Math.ceil(x / unit) * unit;

/** Municipalities pay each quarter's outcomes on the last day of the month after the quarter. */
function paymentDay(day: number): number {
  const month = monthOfDay(day);
  const quarterEnd = month - (month % 3) + 2;
  return monthEnd(quarterEnd + 1);
}

/**
 * Prices what was achieved and turns it into rows. Limits are sized from the referrals actually
 * made, so their effect is the same at any scale: Edogawa's cap binds, Yokohama's JOB_START
 * max_count binds, Shinjuku's limits do not.
 */
export function finishSib(ledger: SibLedger): SibFiles {
  const files: SibFiles = { contracts: [], outcomes: [], cashflows: [] };
  for (const c of ledger.contracts) {
    const referrals = ledger.referrals.get(c.id) ?? 0;
    const cap = Math.max(300_000, ceilTo(referrals * c.capPerReferral, 100_000));
    files.contracts.push([c.id, c.municipality.code, c.name, dateText(c.start), dateText(c.end), cap, c.nameEn]);
    const limits = new Map<OutcomeDef, number | null>();
    for (const o of c.outcomes) {
      const max = o.maxCountPerReferral === undefined ? null : Math.max(1, Math.floor(referrals * o.maxCountPerReferral));
      limits.set(o, max);
      files.outcomes.push([c.id, o.code, o.kind, o.parameter, o.price, max]);
    }
    // Walk the days in order, paying each achievement until its code's max_count or the contract cap is reached.
    const due = new Map<number, number>();
    const paidCount = new Map<OutcomeDef, number>();
    let total = 0;
    for (let day = c.start; day <= Math.min(c.end, AS_OF_DAY); day++) {
      for (const o of c.outcomes) {
        let n = ledger.counts(c, o)[day - FIRST_DAY] as number;
        const max = limits.get(o) ?? null;
        const sofar = paidCount.get(o) ?? 0;
        if (max !== null) n = Math.min(n, max - sofar);
        if (n <= 0) continue;
        const amount = Math.min(n * o.price, cap - total);
        if (amount <= 0) continue;
        paidCount.set(o, sofar + n);
        total += amount;
        const payOn = paymentDay(day);
        due.set(payOn, (due.get(payOn) ?? 0) + amount);
      }
    }
    const flows: Array<[number, 'investor' | 'municipality' | 'provider', number]> = [];
    const capital = Math.max(1_000_000, ceilTo(referrals * c.capitalPerReferral, 1_000_000));
    const firstTranche = Math.round(capital * 0.6);
    flows.push([c.start, 'investor', -firstTranche]);
    const second = addMonths(c.start, 12);
    if (second <= AS_OF_DAY) flows.push([second, 'investor', -(capital - firstTranche)]);
    for (const [payOn, amount] of [...due].sort((a, b) => a[0] - b[0])) {
      if (payOn > AS_OF_DAY) continue; // achieved, invoiced, not yet paid at the as-of date
      flows.push([payOn, 'municipality', amount]);
      // 10% of each outcome payment is passed on to the provider as its performance fee.
      flows.push([payOn, 'provider', -Math.round(amount * 0.1)]);
    }
    // A contract that has ended returns the provider's unspent working capital the month after.
    const closing = monthEnd(monthOfDay(c.end) + 1) - 1;
    if (c.end < AS_OF_DAY && closing <= AS_OF_DAY && monthOfDay(closing) <= AS_OF_MONTH) {
      flows.push([closing, 'provider', Math.round(capital * 0.04)]);
    }
    // One net flow per contract, date and party (the contract's key).
    const net = new Map<string, [number, 'investor' | 'municipality' | 'provider', number]>();
    for (const [day, party, amount] of flows) {
      const key = `${day}/${party}`;
      const seen = net.get(key);
      if (seen) seen[2] += amount;
      else net.set(key, [day, party, amount]);
    }
    const merged = [...net.values()].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    for (const [day, party, amount] of merged) files.cashflows.push([c.id, dateText(day), party, amount]);
  }
  return files;
}
