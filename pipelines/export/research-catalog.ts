// What every table and column of a research extract means: written into the extract as COMMENT ON
// and the README table, and into docs/researchers.md. The extract refuses to be written with a
// column this catalog does not describe (research-extract.ts).
import { qiColumns } from './quasi-identifiers-sql.ts';

export interface TableDoc {
  description: string;
  columns: Record<string, string>;
}

const researchId = 'Random id of the participant in this extract (UUID v4), made afresh for each extract: it cannot be linked to the programme\u2019s records or to another recipient\u2019s extract.';
const monthOf = (what: string) => `Month of ${what} (its first day; every date in the extract is truncated to its month), empty if not reached by the as-of date.`;

export const EXTRACT_TABLES: Record<string, TableDoc> = {
  participants: {
    description:
      'One row per participant in the extract (consented to research use, enrolled by the as-of date, not suppressed): the quasi-identifiers as released after k-anonymity processing, the first enrolment and the date each programme milestone was first reached (as in the warehouse\u2019s core.participant_milestones; definitions in docs/metrics/impact.md). Rows are in random order.',
    columns: {
      research_id: researchId,
      ...Object.fromEntries(qiColumns().map((c) => [c.name, `Quasi-identifier. ${c.description}`])),
      status: 'Status of the first enrolment at the as-of date: enrolled (in training), completed or withdrawn.',
      enrolled_month: 'Month of the first enrolment (its first day).',
      completed_month: monthOf('completion of the first enrolment'),
      withdrawn_month: monthOf('withdrawal from the first enrolment'),
      training_cost_jpy: 'Cost of the training place of the first enrolment (JPY); it is the scholarship a CIB agreement funds.',
      first_job_month: monthOf('the first employment spell starting on or after completion'),
      first_job_type: 'employment_type of that first job: impact_sourcing, direct_hire or other.',
      first_it_job_month: monthOf('the first IT-role spell starting on or after completion'),
      first_run_ended_month: 'Month the run of continuous employment that begins with the first job ended (spells joined across gaps of 14 days or less); empty if still open at the as-of date or no job.',
      sustained_6m_month: monthOf('reaching 182 days of continuous employment after completion'),
      income_at_threshold_month: monthOf('the first reported monthly income at or above income_threshold_jpy, from the month of completion on'),
      first_repayment_month: monthOf('the first CIB repayment'),
      first_impact_sourcing_month: monthOf('the first impact_sourcing job after completion'),
      direct_hire_after_sourcing_month: monthOf('the first direct_hire job starting after the first impact_sourcing job'),
      income_threshold_jpy: 'Income threshold of the participant\u2019s first CIB agreement, or the 250,000 JPY default without one.',
      threshold_from_agreement: 'True when income_threshold_jpy comes from a CIB agreement.',
      pre_programme_income_jpy: 'Mean reported gross monthly income before the month of enrolment, rounded to the yen and top-coded like income_months; empty if none was reported.',
      pre_programme_income_top_coded: 'True when pre_programme_income_jpy was above the income top code and was set to it.',
    },
  },
  employment_spells: {
    description: 'One row per employment spell of a participant in the extract, as of the as-of date. The employer is not given.',
    columns: {
      research_id: 'The participant (participants.research_id).',
      spell_no: '1, 2, \u2026 in order of start within the participant.',
      employment_type: 'impact_sourcing (through an IT vendor), direct_hire or other.',
      it_role: 'True when the job is an IT role.',
      contract: 'full_time, part_time, fixed_term or freelance.',
      started_month: 'Month the spell started (its first day).',
      ended_month: 'Month the spell ended; empty if open at the as-of date.',
      is_open: 'True when the spell had not ended by the as-of date.',
      weekly_hours: 'Contracted hours per week, if reported.',
      after_completion: 'True when the spell started on or after the completion of the first enrolment (the spells the programme\u2019s employment outcomes count); empty if not completed.',
    },
  },
  income_months: {
    description:
      'One row per participant and month with reported gross income (the most authoritative source when several reported the month: payslip, employer_report, tax_certificate, self_report). Incomes above the top code (see README) are set to it.',
    columns: {
      research_id: 'The participant (participants.research_id).',
      period: 'Month (its first day).',
      gross_income_jpy: 'Gross monthly income (JPY), top-coded: values above the income top code are set to it.',
      top_coded: 'True when gross_income_jpy was above the top code and was set to it.',
      source: 'payslip, employer_report, tax_certificate or self_report.',
      verified: 'Whether programme staff verified the figure.',
      sources_reported: 'How many sources reported this month.',
      months_since_completion: 'Calendar months from the month of completion to this month (0 = month of completion, negative before it); empty if not completed.',
    },
  },
  cib_agreements: {
    description:
      'One row per Career Impact Bond agreement of a participant in the extract: its terms and its status at the as-of date (docs/metrics/cib.md). Amounts owed and paid are per month in cib_months.',
    columns: {
      research_id: 'The participant (participants.research_id).',
      agreement_no: '1, 2, \u2026 in order of signing within the participant.',
      signed_month: 'Month signed (its first day).',
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
      'Repayment status: one row per CIB agreement and calendar month from the month signed to the as-of month, with what fell due and what was paid (docs/metrics/cib.md). Amounts above what a month at the income top code would owe are set to that amount, so that no amount reveals an income the top code hides.',
    columns: {
      research_id: 'The participant (participants.research_id).',
      agreement_no: 'The agreement (cib_agreements.agreement_no).',
      month: 'Calendar month (its first day).',
      month_complete: 'True when the month had wholly elapsed by the as-of date.',
      status: 'training, grace, repaying, deferred, unreported, completed_cap, completed_payments, expired or withdrawn.',
      obligation_jpy: 'What fell due this month (JPY), capped at floor(income_share_rate \u00d7 income top code).',
      paid_jpy: 'Repayments received this month, net of refunds (JPY), capped likewise.',
      amounts_top_coded: 'True when obligation_jpy or paid_jpy was above the cap and was set to it.',
      payments_counted: 'Months counted toward max_payments up to and including this month.',
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
