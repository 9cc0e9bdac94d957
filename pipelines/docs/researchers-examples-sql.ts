// The example queries of docs/researchers.md. They run against a research extract of the demo data
// each time the guide is generated, and the guide shows their results, so they stay true. They name
// no research_id and order every result fully: the results are the same for every extract of the
// same data.

export interface ExampleQuery {
  title: string;
  why: string;
  sql: string;
}

export const EXAMPLE_QUERIES: ExampleQuery[] = [
  {
    title: 'Who is in the extract',
    why: 'Participants by the status of their first enrolment at the as-of date (empty: withheld for k-anonymity).',
    sql: `SELECT status, count(*) AS participants
FROM participants
GROUP BY status
ORDER BY status;`,
  },
  {
    title: 'Completion by track',
    why: 'Completion rate among people whose training has ended (completed or withdrawn), from marts.cohort_summary: it counts everyone, where participants.status is withheld for some (most often beside the few who withdrew from a cohort, so a rate from participants would be too high).',
    sql: `SELECT track,
       sum(enrolled) AS enrolled,
       sum(completed) AS completed,
       round(sum(completed) / sum(completed + withdrawn), 3) AS completion_rate
FROM marts.cohort_summary
GROUP BY track
ORDER BY track;`,
  },
  {
    title: 'How precisely dates are given',
    why: 'Each participant\u2019s dates of each kind are released at one precision, the finest that keeps every combination shared by k people (empty: withheld, with no rows in that kind\u2019s tables). Analyses of timing should say which precision they use.',
    sql: `SELECT training_dates_precision AS training, employment_dates_precision AS employment,
       income_dates_precision AS income, repayment_dates_precision AS repayment,
       count(*) AS participants
FROM participants
GROUP BY ALL
ORDER BY participants DESC, training, employment, income, repayment
LIMIT 8;`,
  },
  {
    title: 'Income trajectory after completion',
    why: 'Mean reported monthly income per period, by months since completion and the length of the periods (top-coded values count at the top code).',
    sql: `SELECT period_months, months_since_completion,
       count(*) AS people,
       median(gross_income_jpy) AS median_income_jpy,
       count(*) FILTER (WHERE top_coded) AS top_coded
FROM income_months
WHERE months_since_completion IN (0, 12, 24)
GROUP BY ALL
ORDER BY period_months, months_since_completion;`,
  },
  {
    title: 'IT roles by kind of employment',
    why: 'Employment spells that started on or after completion.',
    sql: `SELECT employment_type,
       count(*) AS spells,
       round(avg(it_role::INTEGER), 3) AS it_share,
       count(*) FILTER (WHERE is_open) AS still_open
FROM employment_spells
WHERE after_completion
GROUP BY employment_type
ORDER BY employment_type;`,
  },
  {
    title: 'Repayment status in the as-of month',
    why: 'Career Impact Bond agreements by their status in the last month of the data: that of each agreement\u2019s last period, whatever its length.',
    sql: `SELECT status, count(*) AS agreements
FROM (SELECT status FROM cib_months
      QUALIFY month = max(month) OVER (PARTITION BY research_id, agreement_no))
GROUP BY status
ORDER BY agreements DESC, status;`,
  },
  {
    title: 'Collected against funded, by year signed',
    why: 'Repayments so far over scholarships funded (amounts in cib_months are capped where the income top code applies, so this is a lower bound).',
    sql: `WITH paid AS (
  SELECT research_id, agreement_no, sum(paid_jpy) AS paid_jpy
  FROM cib_months
  GROUP BY ALL
)
SELECT year(a.signed_month) AS signed,
       count(*) AS agreements,
       sum(a.funded_amount_jpy) AS funded_jpy,
       sum(p.paid_jpy) AS collected_jpy,
       round(sum(p.paid_jpy) / sum(a.funded_amount_jpy), 3) AS recovery
FROM cib_agreements a
JOIN paid p USING (research_id, agreement_no)
GROUP BY signed
ORDER BY signed;`,
  },
  {
    title: 'The programme funnel (mart)',
    why: 'People reaching each stage and every earlier one, from marts.impact_funnel.',
    sql: `SELECT stage, people, share_of_enrolled, share_of_previous
FROM marts.impact_funnel
WHERE breakdown = 'all'
ORDER BY stage_order;`,
  },
  {
    title: 'Time to first job by gender (mart)',
    why: 'Kaplan–Meier summary (days from completion to first job, people not yet employed censored) among completers whose gender is released, from marts.impact_time_to_first_job_summary.',
    sql: `SELECT group_value AS gender, completers, jobs_found, median_days,
       round(survival_90, 3) AS survival_90, round(survival_180, 3) AS survival_180
FROM marts.impact_time_to_first_job_summary
WHERE breakdown = 'gender'
ORDER BY gender;`,
  },
  {
    title: 'Placement within 180 days by region of origin (mart)',
    why: 'Among completers observed at least 180 days whose region of origin is released, from marts.impact_placement_rates.',
    sql: `SELECT group_value AS origin_region, eligible, placed, placement_rate
FROM marts.impact_placement_rates
WHERE breakdown = 'origin_region' AND horizon_days = 180
ORDER BY origin_region;`,
  },
];
