// Which marts go into a research extract, and the disclosure control each gets. The marts are
// recomputed by the warehouse's own models from the released participants only (so no one who did
// not consent, or who was suppressed, counts in them, and a difference between a mart and the
// participant tables reveals no one), then every row that describes fewer than k people is left
// out and every statistic computed from fewer than k people is blanked.
import { quotedIdentifier as q } from '../sql.ts';

export interface MartRule {
  name: string;
  /** SQL over the mart's rows: how many people the row describes; rows with fewer than k are left out. */
  people: string;
  /** Statistics blanked when the SQL count `when` (the people they are computed from) is below k. */
  blank?: { when: string; columns: string[] };
  orderBy: string;
}

export const INCLUDED_MARTS: MartRule[] = [
  { name: 'cohort_summary', people: 'enrolled', blank: { when: 'completed + withdrawn', columns: ['completion_rate'] }, orderBy: 'cohort_id' },
  { name: 'impact_funnel', people: 'max(people) OVER (PARTITION BY breakdown, group_value)', orderBy: 'breakdown, group_value, stage_order' },
  {
    name: 'impact_withdrawals',
    people: 'enrolled',
    blank: { when: 'withdrawn', columns: ['days_p25', 'days_median', 'days_p75', 'days_mean'] },
    orderBy: 'breakdown, group_value',
  },
  { name: 'impact_time_to_first_job', people: 'max(n_at_risk) OVER (PARTITION BY breakdown, group_value)', orderBy: 'breakdown, group_value, days' },
  { name: 'impact_time_to_first_job_summary', people: 'completers', orderBy: 'breakdown, group_value' },
  { name: 'impact_placement_rates', people: 'eligible', orderBy: 'breakdown, group_value, horizon_days' },
  { name: 'impact_retention', people: 'eligible', orderBy: 'breakdown, group_value, measure' },
  {
    name: 'impact_income',
    people: 'people',
    blank: { when: 'people_with_baseline', columns: ['uplift_median_jpy', 'uplift_median_ratio'] },
    orderBy: 'breakdown, group_value, months_since_completion',
  },
  { name: 'cib_fund', people: 'agreements', orderBy: 'agreements' },
  { name: 'cib_projection', people: 'agreements_projected', orderBy: 'measure, year NULLS FIRST' },
  // About deliveries, not people: counts of files, rows and rejected rows.
  { name: 'data_quality', people: 'NULL', orderBy: 'entity, problems DESC NULLS FIRST, column_name, problem' },
];

/** Marts a research extract leaves out, and why (also in the processing log and the docs). */
export const EXCLUDED_MARTS: Record<string, string> = {
  cib_agreements: 'one row per agreement and participant; the extract has its own cib_agreements and cib_months keyed by research_id',
  sib_outcome_audit: 'one row per referred participant and outcome: the verification annex for the paying municipality, not research data',
  sib_payments:
    "a contract's payments rest on every referred participant in payment order (max_count and the cap depend on all of them), so they cannot be recomputed from consenting participants, and the real figures count people who did not consent",
  sib_investor_returns: 'built on sib_payments and the contracts\u2019 cash flows (see sib_payments)',
};

/** k is inlined (a validated whole number): DuckDB takes no parameters in CREATE TABLE AS. */
export const martSql = {
  /** Rows, rows left out and rows with blanked statistics, for the processing log. */
  counts: (rule: MartRule, k: number) => `SELECT count(*) AS rows,
      count(*) FILTER (WHERE _people < ${k}) AS left_out,
      ${rule.blank ? `count(*) FILTER (WHERE coalesce(_people, ${k}) >= ${k} AND (${rule.blank.when}) < ${k})` : '0'} AS blanked
    FROM (SELECT *, ${rule.people} AS _people FROM marts.${q(rule.name)})`,
  select: (rule: MartRule, k: number) => {
    const replace = rule.blank
      ? ` REPLACE (${rule.blank.columns.map((c) => `CASE WHEN (${rule.blank!.when}) < ${k} THEN NULL ELSE ${q(c)} END AS ${q(c)}`).join(', ')})`
      : '';
    return `SELECT * EXCLUDE (_people)${replace}
      FROM (SELECT *, ${rule.people} AS _people FROM marts.${q(rule.name)})
      WHERE coalesce(_people, ${k}) >= ${k}
      ORDER BY ${rule.orderBy}`;
  },
};
