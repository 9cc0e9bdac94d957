// Career Impact Bond: agreements (cib_agreements.csv) and the payments received under them
// (repayments.csv). Payments follow the agreement's terms exactly: see `obligations`, which the
// generator uses and docs/demo-data.md spells out; behaviour (late, missed, prepaid, reversed) only
// changes when and whether an obligation is paid, never its amount.
import { AS_OF_DAY, dayOf, monthOfDay, monthStart, weekday } from './calendar.ts';
import type { IncomeRow } from './careers.ts';
import type { Cohort, Enrollment } from './programme.ts';
import { Weighted, type Random } from './random.ts';
import { firstRepaymentMonth, monthObligation, qualifies, windowEndMonth } from '../metrics/cib/rules.ts';

export interface AgreementTerms {
  signedOn: number;
  funded: number;
  threshold: number;
  rate: number;
  cap: number;
  maxPayments: number;
  windowMonths: number;
  graceMonths: number;
}

const NEW_TERMS_FROM = dayOf(2024, 4, 1);

/** Terms by vintage: from April 2024 the fund raised the threshold and shortened the grace period. */
export function makeTerms(e: Enrollment, cohort: Cohort): AgreementTerms {
  const newTerms = e.enrolledOn >= NEW_TERMS_FROM;
  return {
    signedOn: e.enrolledOn,
    funded: cohort.cost,
    threshold: newTerms ? 250_000 : 240_000,
    rate: cohort.track.shareRate,
    cap: Math.round((cohort.cost * 1.5) / 1_000) * 1_000,
    maxPayments: cohort.track.maxPayments,
    windowMonths: 60,
    graceMonths: newTerms ? 2 : 3,
  };
}

export interface Obligation {
  month: number;
  amount: number;
}

/**
 * What is owed, month by month, by the engine's own rules (pipelines/metrics/cib/rules.ts): in each
 * window month with reported income at or above the threshold, floor(rate × income) in exact integer
 * arithmetic, capped so the running total never passes the cap; such a month counts as one of
 * max_payments. Months below the threshold (or unreported) owe nothing and do not count.
 * `income` is in month order.
 */
export function obligations(terms: AgreementTerms, completedOn: number, income: readonly IncomeRow[]): Obligation[] {
  const rules = { thresholdJpy: terms.threshold, shareRate: terms.rate, capJpy: terms.cap, graceMonths: terms.graceMonths, windowMonths: terms.windowMonths };
  const completedMonth = monthOfDay(completedOn);
  const first = firstRepaymentMonth(rules, completedMonth);
  const last = windowEndMonth(rules, completedMonth);
  const owed: Obligation[] = [];
  let total = 0;
  let seen = Number.NEGATIVE_INFINITY;
  for (const row of income) {
    if (row.month < first || row.month > last) continue;
    // A month reported by two sources counts once (the generator's sources always agree).
    if (row.month === seen) continue;
    seen = row.month;
    if (owed.length >= terms.maxPayments || total >= terms.cap) break;
    if (!qualifies(rules, row.amount)) continue;
    const amount = monthObligation(rules, row.amount, total);
    owed.push({ month: row.month, amount });
    total += amount;
  }
  return owed;
}

export interface Payment {
  paidOn: number;
  amount: number;
}

type Behaviour = 'reliable' | 'late' | 'arrears';
const BEHAVIOUR = Weighted.of<Behaviour>({ reliable: 80, late: 12, arrears: 8 });

/** Collection by direct debit on the 27th of the month after the income month, moved off weekends. */
export function dueDay(month: number): number {
  const d = monthStart(month + 1) + 26;
  const w = weekday(d);
  return w === 6 ? d + 2 : w === 0 ? d + 1 : d;
}

/** Fund-wide state, so the demo always has at least one prepayment and stays deterministic. */
export interface CollectionState {
  prepayments: number;
}

const MIN_PAYMENTS_BEFORE_PREPAYMENT = 6;

/**
 * Payments for one agreement, in date order, none after the as-of date: most on the due day, some late,
 * some missed (arrears), rarely a bounced debit (a reversal, then the payment again), and once in a
 * while a prepayment of everything left under the cap.
 */
export function makePayments(rng: Random, terms: AgreementTerms, owed: readonly Obligation[], state: CollectionState): Payment[] {
  const behaviour = rng.weighted(BEHAVIOUR);
  const arrearsFrom = behaviour === 'arrears' ? rng.int(0, Math.max(0, owed.length - 1)) : Number.POSITIVE_INFINITY;
  const wantsPrepayment = behaviour === 'reliable' && (state.prepayments === 0 || rng.chance(0.0002));
  const payments: Payment[] = [];
  let paid = 0;
  let onTime = 0;
  for (let i = 0; i < owed.length; i++) {
    const o = owed[i] as Obligation;
    const due = dueDay(o.month);
    let paidOn: number | null = due;
    if (behaviour === 'reliable') {
      if (rng.chance(0.02)) paidOn = due + rng.int(5, 20);
    } else if (behaviour === 'late') {
      const u = rng.float();
      if (u < 0.3) paidOn = due + rng.int(10, 60);
      else if (u < 0.4) paidOn = null;
    } else if (i >= arrearsFrom && rng.chance(0.7)) {
      paidOn = null;
    }
    if (paidOn === null || paidOn > AS_OF_DAY) continue;
    const bounce = rng.chance(0.004) ? { back: paidOn + rng.int(3, 7), again: paidOn + rng.int(12, 25) } : null;
    if (bounce && bounce.again <= AS_OF_DAY) {
      payments.push({ paidOn, amount: o.amount }, { paidOn: bounce.back, amount: -o.amount }, { paidOn: bounce.again, amount: o.amount });
    } else {
      payments.push({ paidOn, amount: o.amount });
    }
    paid += o.amount;
    if (paidOn === due) onTime++;
    if (wantsPrepayment && onTime >= MIN_PAYMENTS_BEFORE_PREPAYMENT && paid < terms.cap) {
      const prepaidOn = paidOn + rng.int(10, 20);
      const next = owed[i + 1];
      if (prepaidOn <= AS_OF_DAY && (!next || prepaidOn < dueDay(next.month))) {
        payments.push({ paidOn: prepaidOn, amount: terms.cap - paid });
        state.prepayments++;
        break;
      }
    }
  }
  return payments.sort((a, b) => a.paidOn - b.paidOn);
}
