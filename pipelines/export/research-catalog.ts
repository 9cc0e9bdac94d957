// What every table and column of a research extract means: written into the extract as COMMENT ON
// and the README table, and into docs/researchers.md. The extract refuses to be written with a
// column this catalog does not describe (research-extract.ts).
import { qiColumns } from './quasi-identifiers-sql.ts';

export interface TableDoc {
  description: string;
  columns: Record<string, string>;
}

const researchId = 'Random id of the participant in this extract (UUID v4), made afresh for each extract: it cannot be linked to the programme\u2019s records or to another recipient\u2019s extract.';
const precision = (kind: string) => `at the precision in the participant\u2019s participants.${kind}_dates_precision`;

export const EXTRACT_TABLES: Record<string, TableDoc> = {
  participants: {
    description:
      'One row per participant in the extract (consented to research use, enrolled by the as-of date, not suppressed): the quasi-identifiers as released after k-anonymity processing, among them the status and months of the first enrolment and the month each programme milestone was first reached (as in the warehouse\u2019s core.participant_milestones; definitions in docs/metrics/impact.md), each at the precision the k-anonymity search chose for the participant. Rows are in random order.',
    columns: {
      research_id: researchId,
      ...Object.fromEntries(qiColumns().map((c) => [c.name, `Quasi-identifier. ${c.description}`])),
      training_cost_jpy: 'Cost of the training place of the first enrolment (JPY); it is the scholarship a CIB agreement funds.',
      pre_programme_income_jpy: 'Mean reported gross monthly income before the month of enrolment, rounded to the yen and top-coded like income_months; empty if none was reported.',
      pre_programme_income_top_coded: 'True when pre_programme_income_jpy was above the income top code and was set to it.',
    },
  },
  employment_spells: {
    description: `One row per employment spell of a participant in the extract, as of the as-of date, except spells that ended before the month of first enrolment; months ${precision('employment')}, and no rows where it is empty. The employer is not given.`,
    columns: {
      research_id: 'The participant (participants.research_id).',
      spell_no: '1, 2, \u2026 in order of start within the participant.',
      employment_type: 'impact_sourcing (through an IT vendor), direct_hire or other.',
      it_role: 'True when the job is an IT role.',
      contract: 'full_time, part_time, fixed_term or freelance.',
      started_month: 'Month the spell started (the first day of its period).',
      ended_month: 'Month the spell ended (the first day of its period); empty if open at the as-of date.',
      is_open: 'True when the spell had not ended by the as-of date.',
      weekly_hours: 'Contracted hours per week, if reported.',
      after_completion: 'True when the spell started on or after the completion of the first enrolment (the spells the programme\u2019s employment outcomes count); empty if not completed.',
    },
  },
  income_months: {
    description:
      `One row per participant and period with reported gross income, from the month of first enrolment on (before it, see participants.pre_programme_income_jpy): a month, or a quarter, half-year or year ${precision('income')} (no rows where it is empty). For each month the most authoritative source is taken when several reported it (payslip, employer_report, tax_certificate, self_report). Incomes above the top code (see README) are set to it.`,
    columns: {
      research_id: 'The participant (participants.research_id).',
      period: 'First day of the period.',
      period_months: 'Length of the period in months: 1, 3, 6 or 12.',
      gross_income_jpy: 'Mean gross monthly income over the months of the period with a report (JPY), each month top-coded first: values above the income top code are set to it.',
      top_coded: 'True when the income of a month of the period was above the top code and was set to it.',
      source: 'payslip, employer_report, tax_certificate or self_report: the least authoritative source of the months of the period.',
      verified: 'Whether programme staff verified the figures of every month of the period.',
      sources_reported: 'The most sources that reported a month of the period.',
      months_since_completion: 'Calendar months from the period of completion to this period (0 = the period of completion, negative before it; multiples of period_months); empty if not completed.',
    },
  },
  cib_agreements: {
    description:
      `One row per Career Impact Bond agreement of a participant in the extract: its terms and its status at the as-of date (docs/metrics/cib.md), months ${precision('repayment')} (no rows where it is empty). Amounts owed and paid are per period in cib_months.`,
    columns: {
      research_id: 'The participant (participants.research_id).',
      agreement_no: '1, 2, \u2026 in order of signing within the participant.',
      signed_month: 'Month signed (the first day of its period).',
      funded_amount_jpy: 'Scholarship funded (JPY).',
      income_threshold_jpy: 'Gross monthly income at or above which a window month owes a share (JPY).',
      income_share_rate: 'Share of income owed in a counted month.',
      payment_cap_jpy: 'Most that can ever fall due (JPY).',
      max_payments: 'Counted months after which the agreement completes.',
      payment_window_months: 'Calendar months of the payment window.',
      grace_months: 'Months after the month of completion before the window begins.',
      first_repayment_month: 'First month of the payment window; empty if the participant has not completed.',
      window_end_month: 'Last month of the payment window; empty if not completed.',
      status: 'Status at the as-of month: training, grace, repaying, deferred, unreported (open) or completed_cap, completed_payments, expired, withdrawn (closed).',
      is_open: 'True for the open statuses.',
      closed_month: 'Month the agreement closed; empty while open.',
      months_counted: 'Months counted toward max_payments so far.',
      months_deferred: 'Window months with income below the threshold.',
      months_unreported: 'Window months, wholly elapsed, with no income report.',
    },
  },
  cib_months: {
    description:
      `Repayment status: one row per CIB agreement and period from the month signed to the as-of month, a month or a quarter, half-year or year ${precision('repayment')} (no rows where it is empty), with what fell due and what was paid (docs/metrics/cib.md). Each month's amounts above what a month at the income top code would owe are set to that amount, so that no amount reveals an income the top code hides.`,
    columns: {
      research_id: 'The participant (participants.research_id).',
      agreement_no: 'The agreement (cib_agreements.agreement_no).',
      month: 'First day of the period.',
      period_months: 'Length of the period in months: 1, 3, 6 or 12.',
      month_complete: 'True when every month of the period had wholly elapsed by the as-of date.',
      status: 'Status in the last month of the period: training, grace, repaying, deferred, unreported, completed_cap, completed_payments, expired or withdrawn.',
      obligation_jpy: 'What fell due in the period (JPY), each month capped at floor(income_share_rate \u00d7 income top code).',
      paid_jpy: 'Repayments received in the period, net of refunds (JPY), each month capped likewise.',
      amounts_top_coded: 'True when a month\u2019s obligation_jpy or paid_jpy was above the cap and was set to it.',
      payments_counted: 'Months counted toward max_payments up to and including the period.',
    },
  },
  README: {
    description: 'What this extract is: recipient, as-of date, source snapshot, k, the processing applied, the tables, and the conditions of use. Read it first: SELECT * FROM README.',
    columns: { section: 'Topic.', content: 'Text.' },
  },
  processing_log: {
    description: 'Every processing step applied to make this extract, in order, with the number of records (participants, rows or months) it affected: what was removed, replaced, coarsened, generalised, suppressed and top-coded.',
    columns: {
      step: 'Order of the step.',
      action: 'selected, removed, replaced, coarsened, checked, released, generalised, withheld, suppressed, top_coded, recomputed, excluded or shuffled.',
      target: 'Table, column or mart the step applies to.',
      detail: 'What was done, and why.',
      records: 'How many participants, rows or months the step affected; empty when it applies to every row.',
    },
  },
};

/** The participant-level tables, in the order they are written. */
export const PARTICIPANT_LEVEL_TABLES = ['participants', 'employment_spells', 'income_months', 'cib_agreements', 'cib_months'] as const;
