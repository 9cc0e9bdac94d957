// The SIB reference implementation: outcome rules, runs of employment, payments under limits.
export * from './types.ts';
export * from './dates.ts';
export { MAX_GAP_DAYS, joinSpells } from './runs.ts';
export { achievedOn, achievements, incomeAtLeastOn, jobStartOn, paymentOrder, spellsAfterCompletion, sustainedEmploymentOn, withinWindow } from './achievements.ts';
export { payOutcomes } from './payments.ts';
