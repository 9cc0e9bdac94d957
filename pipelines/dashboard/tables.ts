// Every data file the dashboard publishes: the mart it summarises, and how its cells are protected
// (pipelines/privacy/disclosure.ts). The query of table `x` is src/data/queries/x.sql and its loader is
// src/data/x.json.ts. Counts of people cover themselves; a rate covers its denominator and reveals its
// numerator; a mean, median or quantile covers the people it is computed over.
import type { SuppressionSpec } from '../privacy/disclosure.ts';

export interface DashboardTable {
  /** Where the numbers come from. */
  source: string;
  spec: Omit<SuppressionSpec, 'k'>;
}

const self = (column: string) => ({ covers: column });

export const DASHBOARD_TABLES = {
  meta: { source: 'meta.builds', spec: { cells: {} } },
  overview: {
    source: 'marts.impact_funnel, marts.impact_income, marts.cib_fund, marts.sib_outcome_audit',
    spec: {
      cells: {
        enrolled: self('enrolled'),
        completed: self('completed'),
        employed: self('employed'),
        uplift_people: self('uplift_people'),
        uplift_median_jpy: { covers: 'uplift_people' },
        agreements: self('agreements'),
        recovery_rate: { covers: 'agreements' },
        paid_people: self('paid_people'),
        outcome_payments_jpy: { covers: 'paid_people' },
      },
    },
  },
  'overview-trend': {
    source: 'marts.impact_funnel (by cohort) and marts.cohort_summary (start quarter)',
    spec: {
      cells: { enrolled: self('enrolled'), completed: self('completed'), employed: self('employed') },
      margins: [[]],
    },
  },
  funnel: {
    source: 'marts.impact_funnel',
    spec: {
      cells: {
        enrolled: self('enrolled'),
        people: self('people'),
        share_of_enrolled: { covers: 'enrolled', reveals: ['people'] },
      },
      margins: [['breakdown', 'stage']],
    },
  },
  flow: {
    source: 'core.participant_milestones and marts.cib_agreements',
    spec: { cells: { people: self('people') }, margins: [['breakdown', 'group_value', 'step', 'source']] },
  },
  'time-to-job': {
    source: 'marts.impact_time_to_first_job (read every 14 days)',
    spec: {
      cells: {
        at_risk: self('at_risk'),
        survival: { covers: 'at_risk' },
        lower_95: { covers: 'at_risk' },
        upper_95: { covers: 'at_risk' },
      },
      margins: [['breakdown', 'days']],
    },
  },
  'time-to-job-summary': {
    source: 'marts.impact_time_to_first_job_summary',
    spec: {
      cells: {
        completers: self('completers'),
        jobs_found: self('jobs_found'),
        median_days: { covers: 'completers' },
        median_lower_95: { covers: 'completers' },
        median_upper_95: { covers: 'completers' },
        survival_180: { covers: 'completers' },
      },
      margins: [['breakdown']],
    },
  },
  retention: {
    source: 'marts.impact_retention',
    spec: {
      cells: {
        eligible: self('eligible'),
        achieved: self('achieved'),
        rate: { covers: 'eligible', reveals: ['achieved'] },
        median_days: { covers: 'achieved' },
      },
      margins: [['breakdown', 'measure']],
    },
  },
  income: {
    source: 'marts.impact_income',
    spec: {
      cells: {
        people: self('people'),
        income_p25: { covers: 'people' },
        income_median: { covers: 'people' },
        income_p75: { covers: 'people' },
        income_mean: { covers: 'people' },
        people_with_baseline: self('people_with_baseline'),
        uplift_median_jpy: { covers: 'people_with_baseline' },
        uplift_median_ratio: { covers: 'people_with_baseline' },
      },
      margins: [['breakdown', 'months_since_completion']],
    },
  },
  fund: {
    source: 'marts.cib_fund',
    spec: {
      cells: {
        agreements: self('agreements'),
        open_agreements: self('open_agreements'),
        agreements_in_arrears: self('agreements_in_arrears'),
        funded_amount_jpy: { covers: 'agreements' },
        obligation_jpy: { covers: 'agreements' },
        collected_jpy: { covers: 'agreements' },
        arrears_jpy: { covers: 'agreements_in_arrears' },
        forgiven_jpy: { covers: 'agreements' },
        recovery_rate: { covers: 'agreements' },
        average_training_cost_jpy: { covers: 'agreements' },
        pay_forward_multiplier: { covers: 'agreements' },
        unreported_month_share: { covers: 'agreements' },
      },
    },
  },
  'fund-status': {
    source: 'marts.cib_agreements',
    spec: {
      cells: { agreements: self('agreements'), share: { covers: 'total', reveals: ['agreements'] }, total: self('total') },
      margins: [[]],
    },
  },
  'fund-monthly': {
    source: 'core.cib_agreement_months',
    spec: {
      cells: { agreements: self('agreements'), obligation_jpy: { covers: 'agreements' }, collected_jpy: { covers: 'agreements' } },
    },
  },
  'fund-projection': {
    source: 'marts.cib_projection',
    spec: {
      cells: {
        agreements_projected: self('agreements_projected'),
        p10: { covers: 'agreements_projected' },
        p50: { covers: 'agreements_projected' },
        p90: { covers: 'agreements_projected' },
      },
    },
  },
  'sib-contracts': {
    source: 'marts.sib_investor_returns, marts.sib_outcome_audit, core.sib_referrals',
    spec: {
      cells: {
        referred: self('referred'),
        people: self('people'),
        outcomes_achieved: { covers: 'people' },
        outcomes_paid: { covers: 'people' },
        outcome_payments_jpy: { covers: 'people' },
        removed_jpy: { covers: 'people' },
        cap_used: { covers: 'people' },
        investor_paid_in_jpy: { covers: 'referred' },
        investor_net_jpy: { covers: 'people' },
        money_multiple: { covers: 'people' },
        investor_xirr: { covers: 'people' },
      },
    },
  },
  'sib-outcomes': {
    source: 'marts.sib_payments',
    spec: {
      cells: {
        achieved: self('achieved'),
        paid_count: self('paid_count'),
        paid_jpy: { covers: 'paid_count' },
        removed_jpy: { covers: 'achieved' },
      },
      margins: [['contract_id']],
    },
  },
  'sib-cumulative': {
    source: 'marts.sib_outcome_audit',
    spec: { cells: { people_paid: self('people_paid'), paid_to_date_jpy: { covers: 'people_paid' } } },
  },
  equity: {
    source: 'marts.impact_funnel, marts.impact_placement_rates, marts.impact_time_to_first_job_summary, marts.impact_income',
    spec: {
      cells: {
        enrolled: self('enrolled'),
        completed: self('completed'),
        employed: self('employed'),
        completion_share: { covers: 'enrolled', reveals: ['completed'] },
        employment_share: { covers: 'completed', reveals: ['employed'] },
        eligible_180: self('eligible_180'),
        placed_180: self('placed_180'),
        placement_rate_180: { covers: 'eligible_180', reveals: ['placed_180'] },
        median_days_to_job: { covers: 'completed' },
        income_people_12m: self('income_people_12m'),
        income_median_12m: { covers: 'income_people_12m' },
      },
      margins: [['breakdown']],
    },
  },
  'data-quality': {
    // Counts of source rows, not of people: a rejected row is published only as a count per column and
    // kind of problem, never with its values, so each count is protected by the rows read for its entity.
    source: 'marts.data_quality',
    spec: {
      cells: {
        files_loaded: { covers: 'rows_read' },
        rows_read: self('rows_read'),
        rows_loaded: { covers: 'rows_read' },
        rows_rejected: { covers: 'rows_read' },
        problems: { covers: 'rows_read' },
      },
    },
  },
  'data-quality-unreported': {
    source: 'core.cib_agreement_months',
    spec: {
      cells: {
        assessed: self('assessed'),
        unreported: self('unreported'),
        unreported_share: { covers: 'assessed', reveals: ['unreported'] },
      },
    },
  },
} satisfies Record<string, DashboardTable>;

export type DashboardTableName = keyof typeof DASHBOARD_TABLES;
export const DASHBOARD_TABLE_NAMES = Object.keys(DASHBOARD_TABLES) as DashboardTableName[];
