// Career Impact Bond: each repayment rule as one small function of an agreement's terms
// (cib_agreements). Months are whole numbers, year × 12 + (month − 1), so calendar arithmetic is
// integer arithmetic. Definitions and edge decisions: docs/metrics/cib.md.

/** An agreement's terms, as in staging.cib_agreements, with its signing date as a month index. */
export interface CibTerms {
  signedMonth: number;
  fundedJpy: number;
  thresholdJpy: number;
  /** income_share_rate as stored (a DOUBLE); read to millionths by `rateMillionths`. */
  shareRate: number;
  capJpy: number;
  maxPayments: number;
  windowMonths: number;
  graceMonths: number;
}

/** Month index of a date or month written `YYYY-MM…`. */
export function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** `YYYY-MM-01` of a month index. */
export function monthDate(month: number): string {
  const y = Math.floor(month / 12);
  const m = month - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-01`;
}

/** The first repayment month: grace_months + 1 calendar months after the month of completion. */
export function firstRepaymentMonth(terms: Pick<CibTerms, 'graceMonths'>, completedMonth: number): number {
  return completedMonth + terms.graceMonths + 1;
}

/** The last month of the payment window: payment_window_months months from the first repayment month. */
export function windowEndMonth(terms: Pick<CibTerms, 'graceMonths' | 'windowMonths'>, completedMonth: number): number {
  return firstRepaymentMonth(terms, completedMonth) + terms.windowMonths - 1;
}

/**
 * The share rate in millionths (0.1 → 100000): the stored DOUBLE rounded to six decimals, so that
 * 0.1 means exactly one tenth. SQL: round(income_share_rate * 1000000)::BIGINT.
 */
export function rateMillionths(shareRate: number): number {
  return Math.round(shareRate * 1_000_000);
}

/** A month qualifies (is a repayment month) when its reported income is at or above the threshold. */
export function qualifies(terms: Pick<CibTerms, 'thresholdJpy'>, incomeJpy: number | null | undefined): incomeJpy is number {
  return incomeJpy !== null && incomeJpy !== undefined && incomeJpy >= terms.thresholdJpy;
}

/**
 * floor(rate × income) in exact integer arithmetic: (rate in millionths × income) div 1,000,000.
 * floor(0.1 × 250000) is 25000, not 24999 as 0.1 * 250000 in binary floating point could give.
 * Exact while rate millionths × income < 2^53 (incomes up to about 9 billion yen a month).
 */
export function shareOfIncome(shareRate: number, incomeJpy: number): number {
  const product = rateMillionths(shareRate) * incomeJpy;
  const rest = ((product % 1_000_000) + 1_000_000) % 1_000_000;
  return (product - rest) / 1_000_000;
}

/**
 * What a window month owes given the cumulative obligation before it: nothing below the threshold or
 * when unreported; else floor(rate × income), reduced so the cumulative obligation never exceeds the cap.
 */
export function monthObligation(terms: Pick<CibTerms, 'thresholdJpy' | 'shareRate' | 'capJpy'>, incomeJpy: number | null | undefined, obligedBefore: number): number {
  if (!qualifies(terms, incomeJpy)) return 0;
  return Math.max(0, Math.min(shareOfIncome(terms.shareRate, incomeJpy), terms.capJpy - obligedBefore));
}

/** The schedule is complete by obligations when the cumulative obligation reaches the cap … */
export function capReached(terms: Pick<CibTerms, 'capJpy'>, cumulativeObligation: number): boolean {
  return cumulativeObligation >= terms.capJpy;
}

/** … or max_payments qualifying months have been counted. */
export function paymentsReached(terms: Pick<CibTerms, 'maxPayments'>, monthsCounted: number): boolean {
  return monthsCounted >= terms.maxPayments;
}

/** Cumulative payments at or above the cap close the agreement (prepayment of the remaining cap). */
export function paidInFull(terms: Pick<CibTerms, 'capJpy'>, cumulativePaid: number): boolean {
  return cumulativePaid >= terms.capJpy;
}

/** What is forgiven when the window ends: arrears left at the end of the first month after it. */
export function forgivenAtExpiry(cumulativeObligation: number, cumulativePaid: number): number {
  return Math.max(0, cumulativeObligation - cumulativePaid);
}
