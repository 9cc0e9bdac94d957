// The reference month-by-month schedule of one CIB agreement: what the SQL model
// core.cib_agreement_months computes for every agreement (tests check they agree). Rules are applied
// to each month in order, the first that applies wins (docs/metrics/cib.md, "Each month").
import {
  capReached,
  firstRepaymentMonth,
  forgivenAtExpiry,
  monthObligation,
  paidInFull,
  paymentsReached,
  qualifies,
  windowEndMonth,
  type CibTerms,
} from './rules.ts';

export const CIB_STATUSES = ['training', 'grace', 'repaying', 'deferred', 'unreported', 'completed_cap', 'completed_payments', 'expired', 'withdrawn'] as const;
export type CibStatus = (typeof CIB_STATUSES)[number];
export const OPEN_STATUSES: readonly CibStatus[] = ['training', 'grace', 'repaying', 'deferred', 'unreported'];

/** The participant's first enrolment as of the as-of date (core.participants), as month indexes. */
export interface Completion {
  completedMonth: number | null;
  /** Only used when there is no completion: a withdrawal before completion. */
  withdrawnMonth: number | null;
}

export interface AgreementMonth {
  month: number;
  status: CibStatus;
  incomeJpy: number | null;
  obligationJpy: number;
  paidJpy: number;
  cumulativeObligationJpy: number;
  cumulativePaidJpy: number;
  forgivenJpy: number;
  arrearsJpy: number;
  /** Qualifying months counted toward max_payments so far. */
  paymentsCounted: number;
}

/**
 * One row per month from the month signed to the as-of month. `paymentsByMonth` holds net payments
 * (refunds negative) by the month of paid_on; payments dated before the month signed count in it.
 */
export function agreementSchedule(
  terms: CibTerms,
  completion: Completion,
  incomeByMonth: ReadonlyMap<number, number>,
  paymentsByMonth: ReadonlyMap<number, number>,
  asOfMonth: number,
): AgreementMonth[] {
  const rows: AgreementMonth[] = [];
  const completed = completion.completedMonth;
  const withdrawn = completed === null ? completion.withdrawnMonth : null;
  const first = completed === null ? null : firstRepaymentMonth(terms, completed);
  const last = completed === null ? null : windowEndMonth(terms, completed);
  let closed: CibStatus | null = null;
  let obliged = 0;
  let paid = 0;
  let forgiven = 0;
  let counted = 0;
  for (const [m, amount] of paymentsByMonth) if (m < terms.signedMonth) paid += amount;
  for (let m = terms.signedMonth; m <= asOfMonth; m++) {
    const income = incomeByMonth.get(m) ?? null;
    const paidNow = paymentsByMonth.get(m) ?? 0;
    paid += paidNow;
    let status: CibStatus;
    let obligation = 0;
    let forgivenNow = 0;
    if (closed !== null) {
      status = closed;
    } else if (withdrawn !== null && m >= withdrawn) {
      status = closed = 'withdrawn';
    } else if (last !== null && m > last) {
      // The window is over: nothing more falls due, and what is unpaid at the end of this month is forgiven.
      forgivenNow = forgivenAtExpiry(obliged, paid);
      status = closed = 'expired';
    } else if (paidInFull(terms, paid)) {
      // Prepayment (or payments) reached the cap: the remaining cap falls due now and is settled.
      obligation = terms.capJpy - obliged;
      status = closed = 'completed_cap';
    } else if (completed === null || m < completed) {
      status = 'training';
    } else if (m < first!) {
      status = 'grace';
    } else if (income === null) {
      status = 'unreported';
    } else if (!qualifies(terms, income)) {
      status = 'deferred';
    } else {
      obligation = monthObligation(terms, income, obliged);
      counted++;
      if (capReached(terms, obliged + obligation)) status = closed = 'completed_cap';
      else if (paymentsReached(terms, counted)) status = closed = 'completed_payments';
      else status = 'repaying';
    }
    obliged += obligation;
    forgiven += forgivenNow;
    rows.push({
      month: m,
      status,
      incomeJpy: income,
      obligationJpy: obligation,
      paidJpy: m === terms.signedMonth ? paid : paidNow,
      cumulativeObligationJpy: obliged,
      cumulativePaidJpy: paid,
      forgivenJpy: forgivenNow,
      arrearsJpy: obliged - paid - forgiven,
      paymentsCounted: counted,
    });
  }
  return rows;
}

/** The agreement as of the as-of month: its last row (null when signed after the as-of month). */
export function agreementAsOf(schedule: readonly AgreementMonth[]): AgreementMonth | null {
  return schedule.at(-1) ?? null;
}
