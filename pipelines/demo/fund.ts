// The scholarship (pay-forward) fund's ledger, fund_transactions.csv: donations and sponsorships raised
// ahead of each quarter's intake, one disbursement per enrolment (the training place, paid to the
// provider on the cohort's first day), monthly totals of CIB repayments received, and fees.
import { AS_OF_DAY, dayOf, monthEnd, monthStart } from './calendar.ts';
import { FIRST_COHORT_MONTH, QUARTERS, type Cohort } from './programme.ts';
import { apportion, type Random } from './random.ts';

export type FundType = 'donation' | 'sponsorship' | 'disbursement' | 'repayment_inflow' | 'fee';

export interface FundEvent {
  day: number;
  type: FundType;
  amount: number;
  counterparty: string | null;
  /** Identical rows to write (one disbursement per enrolment of a cohort). */
  count: number;
}

// Made-up organisations: counterparties are always organisations, never people.
const FOUNDATIONS = ['Sorairo Foundation', 'Hinode Digital Foundation', 'Yamabuki Community Foundation', 'Kibou Refugee Education Fund'] as const;
const SPONSORS = ['Kumo Software KK', 'Tsubasa Systems KK', 'Nagisa Cloud KK', 'Midori Logistics KK', 'Kazehana Consulting KK', 'Hoshimi Data KK'] as const;
export const SERVICER = 'Kotori Loan Servicing KK';
const TRUSTEE = 'Asagi Trust Bank';

const TYPE_ORDER: Record<FundType, number> = { donation: 0, sponsorship: 1, disbursement: 2, repayment_inflow: 3, fee: 4 };

/** All fund movements, in date order. `inflows` maps a month index to the net CIB repayments received in it. */
export function fundEvents(rng: Random, cohorts: readonly Cohort[], inflows: ReadonlyMap<number, number>): FundEvent[] {
  const events: FundEvent[] = [];
  const perQuarter = new Array<number>(QUARTERS).fill(0);
  for (const c of cohorts) {
    perQuarter[c.quarter] = (perQuarter[c.quarter] as number) + c.size * c.cost;
    events.push({ day: c.start, type: 'disbursement', amount: -c.cost, counterparty: c.provider.legalName, count: c.size });
  }
  // An opening endowment covers the first two intakes; later intakes are funded two months ahead.
  const opening = Math.ceil(((perQuarter[0] as number) + (perQuarter[1] as number)) / 1_000_000) * 1_000_000;
  if (opening > 0) events.push({ day: dayOf(2022, 2, 15), type: 'donation', amount: opening, counterparty: FOUNDATIONS[0], count: 1 });
  for (let q = 2; q < QUARTERS; q++) {
    const need = perQuarter[q] as number;
    if (need === 0) continue;
    const total = Math.max(1, Math.round((need * rng.real(0.95, 1.15)) / 10_000));
    const pieces = total < 100 ? 1 : rng.int(2, 5);
    const parts = apportion(total, Array.from({ length: pieces }, () => rng.real(0.5, 1.5)));
    const month = FIRST_COHORT_MONTH + 3 * q - 2;
    for (const part of parts) {
      if (part === 0) continue;
      const sponsorship = rng.chance(0.6);
      events.push({
        day: monthStart(month) + rng.int(0, 27),
        type: sponsorship ? 'sponsorship' : 'donation',
        amount: part * 10_000,
        counterparty: sponsorship ? rng.pick(SPONSORS) : rng.pick([...FOUNDATIONS, ...SPONSORS]),
        count: 1,
      });
    }
  }
  for (const [month, amount] of [...inflows].sort((a, b) => a[0] - b[0])) {
    if (amount === 0) continue;
    const day = monthEnd(month);
    events.push({ day, type: 'repayment_inflow', amount, counterparty: SERVICER, count: 1 });
    // The servicer keeps 2% of what it collects.
    const fee = Math.round(Math.max(0, amount) * 0.02);
    if (fee > 0) events.push({ day, type: 'fee', amount: -fee, counterparty: SERVICER, count: 1 });
  }
  // Quarterly trustee fee: 1% of the quarter's disbursements, at least ¥200,000.
  for (let q = 0; q < QUARTERS; q++) {
    const day = monthEnd(FIRST_COHORT_MONTH + 3 * q + 2);
    if (day > AS_OF_DAY) break;
    const fee = Math.max(200_000, Math.round(((perQuarter[q] as number) * 0.01) / 1_000) * 1_000);
    events.push({ day, type: 'fee', amount: -fee, counterparty: TRUSTEE, count: 1 });
  }
  // Stable sort: same-day rows keep their insertion order within a type.
  return events
    .filter((e) => e.day <= AS_OF_DAY)
    .sort((a, b) => a.day - b.day || TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
}
