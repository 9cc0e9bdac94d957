// Career Impact Bond engine: the rules, the month-by-month schedule, and the recovery projection.
export * from './rules.ts';
export * from './schedule.ts';
export * from './projection.ts';
export * from './donor-pool.ts';
export * from './projection-walk.ts';
