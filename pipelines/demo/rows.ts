// What one CSV row of each entity looks like: the header is the contract's column names (entities.ts),
// and each builder returns the cells in that order. The column lists are checked against the contract
// when this module loads, so a contract change cannot silently shift a column.
import { entities, entityNames, type EntityName } from '../contract/entities.ts';
import { dateText, periodText } from './calendar.ts';
import type { IncomeRow, Spell } from './careers.ts';
import type { AgreementTerms, Payment } from './cib.ts';
import type { Untidy } from './faults.ts';
import type { FundEvent } from './fund.ts';
import type { Cohort, Enrollment, Participant } from './programme.ts';
import type { Cell } from './write.ts';

export const COLUMNS = {
  participants: ['participant_ref', 'birth_year', 'gender', 'country_of_origin', 'residence_status', 'municipality_code', 'arrival_date', 'japanese_level', 'consent_research', 'name', 'email', 'phone', 'address'],
  cohorts: ['cohort_id', 'track', 'provider', 'start_date', 'end_date'],
  enrollments: ['participant_ref', 'cohort_id', 'enrolled_on', 'status', 'completed_on', 'withdrawn_on', 'training_cost_jpy'],
  cib_agreements: ['agreement_id', 'participant_ref', 'signed_on', 'funded_amount_jpy', 'income_threshold_jpy', 'income_share_rate', 'payment_cap_jpy', 'max_payments', 'payment_window_months', 'grace_months'],
  employment: ['employment_id', 'participant_ref', 'employer_ref', 'employment_type', 'it_role', 'contract', 'started_on', 'ended_on', 'weekly_hours'],
  income: ['participant_ref', 'period', 'gross_income_jpy', 'source', 'verified'],
  repayments: ['payment_id', 'agreement_id', 'paid_on', 'amount_jpy'],
  sib_contracts: ['contract_id', 'municipality_code', 'name', 'start_date', 'end_date', 'payment_cap_jpy', 'name_en'],
  sib_outcomes: ['contract_id', 'outcome_code', 'kind', 'parameter', 'price_jpy', 'max_count'],
  sib_referrals: ['contract_id', 'participant_ref', 'referred_on'],
  sib_cashflows: ['contract_id', 'date', 'party', 'amount_jpy'],
  fund_transactions: ['txn_id', 'date', 'type', 'amount_jpy', 'counterparty'],
} as const satisfies Record<EntityName, readonly string[]>;

for (const name of entityNames) {
  const contract = Object.keys(entities[name].schema.shape).join(',');
  if (contract !== COLUMNS[name].join(',')) {
    throw new Error(`demo generator is out of date with the contract: ${name} has columns ${contract}, the generator writes ${COLUMNS[name].join(',')}`);
  }
}

export function cohortCells(c: Cohort): Cell[] {
  return [c.id, c.track.id, c.provider.id, dateText(c.start), dateText(c.end)];
}

export function participantCells(p: Participant, u: Untidy, municipalityCode = p.municipality.code): Cell[] {
  return [
    p.ref,
    u.int(p.birthYear, 0.01),
    p.gender,
    p.origin.iso3,
    p.status,
    municipalityCode,
    p.arrivalKnown ? u.date(p.arrival, 0.005) : null,
    p.japaneseKnown ? p.japanese : null,
    p.consent,
    p.identity.name,
    p.identity.email,
    p.identity.phone,
    p.identity.address,
  ];
}

export function enrollmentCells(p: Participant, e: Enrollment, u: Untidy): Cell[] {
  return [
    p.ref,
    e.cohort.id,
    dateText(e.enrolledOn),
    e.status,
    e.completedOn === null ? null : dateText(e.completedOn),
    e.withdrawnOn === null ? null : dateText(e.withdrawnOn),
    u.yen(e.cohort.cost, 0.02),
  ];
}

export function agreementCells(id: string, ref: string, t: AgreementTerms): Cell[] {
  return [id, ref, dateText(t.signedOn), t.funded, t.threshold, t.rate, t.cap, t.maxPayments, t.windowMonths, t.graceMonths];
}

export function employmentCells(id: string, ref: string, s: Spell, u: Untidy): Cell[] {
  return [id, ref, s.employer, s.type, s.itRole, s.contract, u.date(s.start, 0.005), s.end === null ? null : dateText(s.end), s.hoursKnown ? s.hours : null];
}

export function incomeCells(ref: string, r: IncomeRow, u: Untidy): Cell[] {
  return [ref, periodText(r.month), u.yen(r.amount, 0.006), r.source, r.verified];
}

export function repaymentCells(id: string, agreementId: string, p: Payment, u: Untidy): Cell[] {
  return [id, agreementId, dateText(p.paidOn), u.yen(p.amount, 0.01)];
}

export function fundCells(id: string, e: FundEvent, u: Untidy): Cell[] {
  return [id, dateText(e.day), e.type, u.yen(e.amount, 0.01), e.counterparty];
}
