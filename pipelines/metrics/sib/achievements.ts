// When each outcome of a rate card is achieved (docs/metrics/sib.md, "Outcomes"). Each rule gives
// the participant's earliest qualifying date, whatever the contract; achievements() then keeps the
// ones dated within the referral's window.
import { addDays, dayNumber, firstDayOfMonth, lastDayOfMonth } from './dates.ts';
import { joinSpells } from './runs.ts';
import type { Achievement, IncomeMonth, ParticipantRecord, SibContract, SibOutcome, SibReferral, Spell } from './types.ts';

/** Spells that count: those starting on or after completion (none without completion). */
export function spellsAfterCompletion(completedOn: string | null, spells: readonly Spell[]): Spell[] {
  if (completedOn === null) return [];
  return spells.filter((s) => s.startedOn >= completedOn);
}

/** job_start: the first spell starting on or after completion, if it starts at most `days` days after it. */
export function jobStartOn(completedOn: string | null, spells: readonly Spell[], days: number): string | null {
  const starts = spellsAfterCompletion(completedOn, spells).map((s) => s.startedOn).sort();
  const first = starts[0];
  if (completedOn === null || first === undefined) return null;
  return dayNumber(first) - dayNumber(completedOn) <= days ? first : null;
}

/**
 * sustained_employment: the first run (of spells after completion) still going `days` days after
 * its start, achieved on run start + `days`.
 */
export function sustainedEmploymentOn(completedOn: string | null, spells: readonly Spell[], days: number, asOf: string): string | null {
  for (const run of joinSpells(spellsAfterCompletion(completedOn, spells), asOf)) {
    const due = addDays(run.startedOn, days);
    if (due <= run.endsOn) return due;
  }
  return null;
}

/** income_at_least: the last day of the first verified month, from the month of completion on, with gross ≥ `yen`. */
export function incomeAtLeastOn(completedOn: string | null, income: readonly IncomeMonth[], yen: number): string | null {
  if (completedOn === null) return null;
  const from = firstDayOfMonth(completedOn);
  const months = income.filter((m) => m.verified && m.period >= from && m.grossIncomeJpy >= yen).map((m) => m.period).sort();
  return months[0] === undefined ? null : lastDayOfMonth(months[0]);
}

/** The participant's earliest qualifying date for an outcome, or null. */
export function achievedOn(outcome: SibOutcome, p: ParticipantRecord, asOf: string): string | null {
  switch (outcome.kind) {
    case 'job_start':
      return jobStartOn(p.completedOn, p.spells, outcome.parameter);
    case 'sustained_employment':
      return sustainedEmploymentOn(p.completedOn, p.spells, outcome.parameter, asOf);
    case 'income_at_least':
      return incomeAtLeastOn(p.completedOn, p.income, outcome.parameter);
  }
}

/** Whether a date counts for a referral: on or after referred_on and the contract start, on or before its end and the as-of date. */
export function withinWindow(date: string, contract: SibContract, referral: SibReferral, asOf: string): boolean {
  return date >= referral.referredOn && date >= contract.startDate && date <= contract.endDate && date <= asOf;
}

/**
 * Every outcome achieved under a contract: one per referred participant and outcome code at most,
 * on the earliest qualifying date, kept only when that date is within the window (an outcome first
 * achieved outside it is never achieved again). Ordered for payment: by date, participant id, code.
 */
export function achievements(
  contract: SibContract,
  outcomes: readonly SibOutcome[],
  referrals: readonly SibReferral[],
  people: ReadonlyMap<string, ParticipantRecord>,
  asOf: string,
): Achievement[] {
  const out: Achievement[] = [];
  for (const r of referrals.filter((x) => x.contractId === contract.contractId && x.referredOn <= asOf)) {
    const p = people.get(r.participantId);
    if (!p) continue;
    for (const o of outcomes.filter((x) => x.contractId === contract.contractId)) {
      const on = achievedOn(o, p, asOf);
      if (on !== null && withinWindow(on, contract, r, asOf)) {
        out.push({ contractId: contract.contractId, outcomeCode: o.outcomeCode, participantId: r.participantId, achievedOn: on });
      }
    }
  }
  return out.sort(paymentOrder);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Payment order: achievement date, then participant id, then outcome code (byte order, as DuckDB sorts VARCHAR). */
export function paymentOrder(a: Achievement, b: Achievement): number {
  return cmp(a.achievedOn, b.achievedOn) || cmp(a.participantId, b.participantId) || cmp(a.outcomeCode, b.outcomeCode);
}
