// Every data file the dashboard publishes: the mart it summarises, and how its cells are protected
// (pipelines/privacy/disclosure.ts). The query of table `x` is src/data/queries/x.sql and its loader is
// src/data/x.json.ts. Counts of people cover themselves; a rate covers its denominator and reveals its
// numerator; a mean, median or quantile covers the people it is computed over.
import type { SumDeclaration, SuppressionSpec } from '../privacy/disclosure.ts';

export interface DashboardTable {
  /** Where the numbers come from. */
  source: string;
  spec: Omit<SuppressionSpec, 'k'>;
}

const self = (column: string) => ({ covers: column });

// Where the totals of a table's rows are published (SuppressionSpec.sums): what an attacker subtracts
// along, and what complementary suppression protects. One family of groups adding up to the table's
// `all` rows, matched on the other dimensions:
const sums = (...declared: SumDeclaration[]): SumDeclaration[] => declared;
const toAll = (breakdown: string, by: string[]): SumDeclaration => ({ parts: { breakdown }, by, total: { where: { breakdown: 'all' } } });
/** The counts of the overview that a table's groups add up to. */
const toOverview = (breakdown: string, columns: string[]): SumDeclaration => ({ parts: { breakdown }, by: [], total: { table: 'overview', columns: Object.fromEntries(columns.map((c) => [c, c])) } });

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
      // The quarters add up to the overview's headline counts.
      sums: sums({ parts: {}, by: [], total: { table: 'overview' } }),
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
      sums: sums(
        toAll('track', ['stage']),
        toAll('cohort', ['stage']),
        // Every row prints its group's enrolled count beside its stage: the enrolled stage's people.
        { parts: { stage: 'enrolled' }, by: ['breakdown', 'group_value', 'quarter'], total: { columns: { people: 'enrolled' } } },
        // The cohorts that started in a quarter add up to that quarter's counts on the overview
        // (people reach these three stages in order, so the funnel's and the trend's counts agree).
        ...(['enrolled', 'completed', 'first_job'] as const).map((stage, i) => ({
          parts: { breakdown: 'cohort', stage }, by: ['quarter'],
          total: { table: 'overview-trend', columns: { people: ['enrolled', 'completed', 'employed'][i]! } },
        })),
      ),
    },
  },
  flow: {
    source: 'core.participant_milestones and marts.cib_agreements',
    spec: {
      cells: { people: self('people') },
      margins: [['breakdown', 'group_value', 'step', 'source']],
      sums: sums(
        // The tracks of one link add up to the link for everyone ("three hidden tracks add up to 7").
        toAll('track', ['step', 'source', 'target']),
        // Each step's links out of a node add up to the people who reached it: the funnel's enrolled
        // count, the completers of step 1, the people in each type of first job of step 2.
        { parts: { step: 1 }, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'enrolled' } } },
        { parts: { step: 1, target: 'completed' }, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'completed' } } },
        { parts: { step: 2 }, by: ['breakdown', 'group_value'], total: { where: { step: 1, target: 'completed' } } },
        { parts: { step: 3 }, by: ['breakdown', 'group_value', 'source'], total: { where: { step: 2 }, rename: { source: 'target' } } },
      ),
    },
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
      sums: sums(
        toAll('track', ['days']),
        toAll('completion_quarter', ['days']),
        // Day 0 is the start of the curve: everyone who completed, as the summary publishes them.
        { parts: { days: 0 }, by: ['breakdown', 'group_value'], total: { table: 'time-to-job-summary', columns: { at_risk: 'completers' } } },
      ),
      // Read along the curve, the change in the number at risk is the people who found a job or left
      // observation between two published days: each published step covers at least k of them.
      series: [{ along: 'days', by: ['breakdown', 'group_value'], columns: ['at_risk'] }],
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
      sums: sums(
        toAll('track', []),
        toAll('completion_quarter', []),
        // Completers are the funnel's completed count of the same group.
        { parts: {}, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'completed' }, columns: { completers: 'people' } } },
        // Jobs found are the funnel's first-job count of the same group (completers with a first job).
        { parts: {}, by: ['breakdown', 'group_value'], total: { table: 'funnel', where: { stage: 'first_job' }, columns: { jobs_found: 'people' } } },
      ),
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
      sums: sums(toAll('track', ['measure'])),
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
      sums: sums(toAll('track', ['months_since_completion'])),
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
      sums: sums({ parts: {}, by: [], total: { table: 'overview', columns: { agreements: 'agreements' } } }),
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
      // A contract's outcome codes add up to its outcomes on the contracts table.
      sums: sums({ parts: {}, by: ['contract_id'], total: { table: 'sib-contracts', columns: { achieved: 'outcomes_achieved', paid_count: 'outcomes_paid' } } }),
    },
  },
  'sib-cumulative': {
    source: 'marts.sib_outcome_audit',
    spec: {
      cells: { people_paid: self('people_paid'), paid_to_date_jpy: { covers: 'people_paid' } },
      // People paid to date, month by month: the change from one published month to the next is the
      // people first paid in between.
      series: [{ along: 'month', by: ['contract_id'], columns: ['people_paid'] }],
      // Each contract's people paid to date in its last month add up to the overview's people paid.
      sums: sums({ parts: { latest: true }, by: [], total: { table: 'overview', columns: { people_paid: 'paid_people' } } }),
    },
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
      // Each breakdown adds up to the overview's counts and to the income page's people 12 months on.
      // Every breakdown covers the same people, so each adds up to what any other adds up to (the people
      // placed within 180 days by gender are the age bands' too; no page prints that total).
      sums: ['gender', 'origin_region', 'residence_status', 'age_band'].flatMap((b, _, all) => sums(
        toOverview(b, ['enrolled', 'completed', 'employed']),
        { parts: { breakdown: b }, by: [], total: { table: 'income', where: { breakdown: 'all', months_since_completion: 12 }, columns: { income_people_12m: 'people' } } },
        ...all.filter((other) => other !== b).map((other) => ({ parts: { breakdown: b }, by: [], total: { where: { breakdown: other }, sumOf: true } })),
      )),
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
