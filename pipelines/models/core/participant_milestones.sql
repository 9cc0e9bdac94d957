-- description: One row per participant enrolled by the as-of date, with the breakdown attributes used by the impact marts and the date each programme milestone was first reached (empty if not reached by the as-of date). Employment milestones count only spells starting on or after completion; spells are joined into runs as in core.employment_runs (a gap of 14 days or less joins; an open spell runs to the as-of date). Definitions and worked examples are in docs/metrics/impact.md.
-- columns:
--   participant_id: Pseudonymous participant id.
--   cohort_id: Cohort of the first enrolment.
--   track: Track of that cohort.
--   provider: Provider of that cohort.
--   municipality_code: Local government code of the municipality of residence.
--   gender: female, male, nonbinary or undisclosed.
--   origin_region: UN geoscheme region of the country of origin (Unknown if not in ref.countries).
--   residence_status: refugee, complementary_protection, humanitarian, asylum_seeker or other.
--   age_band: Age band at the as-of date (core.participants).
--   completion_quarter: Calendar quarter of completion written YYYY-Qn, empty if not completed.
--   status: Status of the first enrolment as of the as-of date (enrolled, completed, withdrawn).
--   enrolled_on: Date of the first enrolment.
--   completed_on: Completion date of the first enrolment, if completed by the as-of date.
--   withdrawn_on: Withdrawal date of the first enrolment, if withdrawn by the as-of date.
--   days_to_withdrawal: Days from enrolled_on to withdrawn_on, for withdrawals.
--   first_job_on: started_on of the first employment spell starting on or after completed_on.
--   first_job_type: employment_type of that spell (the lowest employment_id when several start that day).
--   first_it_job_on: started_on of the first IT-role spell (it_role) starting on or after completed_on.
--   first_run_ended_on: Last day of the employment run that begins with the first job (spells joined across gaps of 14 days or less); empty if that run is still open at the as-of date.
--   sustained_6m_on: Date employment had been held continuously for 182 days: the first run whose start + 182 days is on or before both its end (the as-of date if open) and the as-of date; achieved on run start + 182 days.
--   income_threshold_jpy: CIB income threshold used for the income milestone: income_threshold_jpy of the participant's first CIB agreement (by signed_on, then agreement_id), else 250000.
--   threshold_from_agreement: True when income_threshold_jpy comes from a CIB agreement, false when it is the 250,000 JPY default.
--   income_at_threshold_on: Last day of the first month, from the month of completion on (months_since_completion >= 0), whose reported gross income (core.income_months, any source, verified or not) is at or above income_threshold_jpy.
--   first_repayment_on: paid_on of the first CIB repayment with amount_jpy > 0 on any of the participant's agreements.
--   first_impact_sourcing_on: started_on of the first impact_sourcing spell starting on or after completed_on.
--   direct_hire_after_sourcing_on: started_on of the first direct_hire spell starting strictly after first_impact_sourcing_on.
--   pre_programme_income_jpy: Mean gross monthly income over reported months before the month of enrolled_on (core.income_months), empty if none was reported.
WITH people AS (
  SELECT p.*
  FROM core.participants p
  WHERE p.cohort_id IS NOT NULL
),
after_completion AS (
  SELECT s.participant_id, s.employment_id, s.employment_type, s.it_role, s.started_on,
         coalesce(s.ended_on, getvariable('as_of')) AS ends_on, s.is_open
  FROM core.employment_spells s
  JOIN people p USING (participant_id)
  WHERE p.completed_on IS NOT NULL AND s.started_on >= p.completed_on
),
runs AS (
  SELECT participant_id, run_no, started_on AS run_start, ends_on AS run_end, is_open AS run_open
  FROM core.employment_runs
),
jobs AS (
  SELECT participant_id,
         min(started_on) AS first_job_on,
         arg_min(employment_type, (started_on, employment_id)) AS first_job_type,
         min(started_on) FILTER (WHERE it_role) AS first_it_job_on,
         min(started_on) FILTER (WHERE employment_type = 'impact_sourcing') AS first_impact_sourcing_on
  FROM after_completion
  GROUP BY participant_id
),
direct_hires AS (
  SELECT j.participant_id, min(a.started_on) AS direct_hire_after_sourcing_on
  FROM jobs j
  JOIN after_completion a ON a.participant_id = j.participant_id
   AND a.employment_type = 'direct_hire' AND a.started_on > j.first_impact_sourcing_on
  GROUP BY j.participant_id
),
run_milestones AS (
  SELECT participant_id,
         any_value(CASE WHEN run_open THEN NULL ELSE run_end END) FILTER (WHERE run_no = 1) AS first_run_ended_on,
         min(run_start + 182) FILTER (WHERE run_start + 182 <= run_end AND run_start + 182 <= getvariable('as_of')) AS sustained_6m_on
  FROM runs
  GROUP BY participant_id
),
agreements AS (
  SELECT participant_id, arg_min(income_threshold_jpy, (signed_on, agreement_id)) AS income_threshold_jpy
  FROM staging.cib_agreements
  GROUP BY participant_id
),
repaying AS (
  SELECT a.participant_id, min(r.paid_on) AS first_repayment_on
  FROM staging.repayments r
  JOIN staging.cib_agreements a USING (agreement_id)
  WHERE r.amount_jpy > 0
  GROUP BY a.participant_id
),
thresholds AS (
  SELECT p.participant_id, coalesce(a.income_threshold_jpy, 250000) AS income_threshold_jpy, a.income_threshold_jpy IS NOT NULL AS threshold_from_agreement
  FROM people p
  LEFT JOIN agreements a USING (participant_id)
),
income AS (
  SELECT i.participant_id,
         last_day(min(i.period) FILTER (WHERE i.months_since_completion >= 0 AND i.gross_income_jpy >= t.income_threshold_jpy)) AS income_at_threshold_on,
         avg(i.gross_income_jpy) FILTER (WHERE i.period < date_trunc('month', p.enrolled_on)) AS pre_programme_income_jpy
  FROM core.income_months i
  JOIN people p USING (participant_id)
  JOIN thresholds t USING (participant_id)
  GROUP BY i.participant_id
)
SELECT p.participant_id, p.cohort_id, p.track, p.provider, p.municipality_code, p.gender, p.origin_region,
       p.residence_status, p.age_band,
       CASE WHEN p.completed_on IS NOT NULL THEN printf('%d-Q%d', year(p.completed_on), quarter(p.completed_on)) END AS completion_quarter,
       p.status, p.enrolled_on, p.completed_on, p.withdrawn_on,
       date_diff('day', p.enrolled_on, p.withdrawn_on) AS days_to_withdrawal,
       j.first_job_on, j.first_job_type, j.first_it_job_on,
       rm.first_run_ended_on, rm.sustained_6m_on,
       t.income_threshold_jpy, t.threshold_from_agreement,
       i.income_at_threshold_on,
       r.first_repayment_on,
       j.first_impact_sourcing_on, d.direct_hire_after_sourcing_on,
       i.pre_programme_income_jpy
FROM people p
JOIN thresholds t USING (participant_id)
LEFT JOIN jobs j USING (participant_id)
LEFT JOIN direct_hires d USING (participant_id)
LEFT JOIN run_milestones rm USING (participant_id)
LEFT JOIN income i USING (participant_id)
LEFT JOIN repaying r USING (participant_id)
ORDER BY p.participant_id
