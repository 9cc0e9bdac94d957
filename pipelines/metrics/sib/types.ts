// The inputs and outputs of the SIB reference implementation (docs/metrics/sib.md), as plain data.
// Dates are ISO strings (YYYY-MM-DD); amounts are whole yen.

export type OutcomeKind = 'job_start' | 'sustained_employment' | 'income_at_least';

/** One row of staging.sib_contracts. */
export interface SibContract {
  contractId: string;
  startDate: string;
  endDate: string;
  paymentCapJpy: number;
}

/** One row of the rate card (staging.sib_outcomes). */
export interface SibOutcome {
  contractId: string;
  outcomeCode: string;
  kind: OutcomeKind;
  parameter: number;
  priceJpy: number;
  maxCount: number | null;
}

export interface SibReferral {
  contractId: string;
  participantId: string;
  referredOn: string;
}

/** An employment spell (core.employment_spells); endedOn null when open at the as-of date. */
export interface Spell {
  startedOn: string;
  endedOn: string | null;
}

/** A reported income month (core.income_months); period is the month's first day. */
export interface IncomeMonth {
  period: string;
  grossIncomeJpy: number;
  verified: boolean;
}

/** What the outcome rules need to know about a participant. */
export interface ParticipantRecord {
  participantId: string;
  /** completed_on of the first enrolment, null when not completed by the as-of date. */
  completedOn: string | null;
  spells: Spell[];
  income: IncomeMonth[];
}

/** Spells joined into continuous employment (core.employment_runs). */
export interface Run {
  startedOn: string;
  /** Last day of the run: the as-of date when open. */
  endsOn: string;
  isOpen: boolean;
}

/** An outcome a referred participant achieved within the contract's window. */
export interface Achievement {
  contractId: string;
  outcomeCode: string;
  participantId: string;
  achievedOn: string;
}

/** One line of the audit table (marts.sib_outcome_audit). */
export interface PaymentLine extends Achievement {
  /** 1, 2, … in payment order within the contract. */
  paymentOrder: number;
  priceJpy: number;
  paidJpy: number;
  removedByMaxCountJpy: number;
  removedByCapJpy: number;
  /** Paid by the contract up to and including this line. */
  cumulativePaidJpy: number;
}
