-- description: Withdrawals and when they happen, one row per breakdown and group (long format, as impact_funnel), as of the as-of date: people enrolled (first enrolments), how many withdrew, the withdrawal rate among those whose training has ended, and the distribution of days from enrolment to withdrawal. Quantiles are DuckDB quantile_cont (linear interpolation, Hyndman-Fan type 7, R's default).
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter (completers only, so it has no withdrawals).
--   group_value: The group: 'all' or the attribute's value.
--   enrolled: People whose first enrolment is in the group.
--   in_training: Of those, still enrolled at the as-of date.
--   withdrawn: Of those, withdrawn by the as-of date.
--   withdrawal_rate: withdrawn / (completed + withdrawn), among people whose training has ended, rounded to 4 decimals; empty when nobody's has.
--   days_p25: First quartile of days from enrolment to withdrawal (type 7); empty without withdrawals.
--   days_median: Median days from enrolment to withdrawal (type 7).
--   days_p75: Third quartile of days from enrolment to withdrawal (type 7).
--   days_mean: Mean days from enrolment to withdrawal, rounded to 1 decimal.
--   within_30_days: Withdrawals 0 to 30 days after enrolment.
--   days_31_to_90: Withdrawals 31 to 90 days after enrolment.
--   days_91_to_180: Withdrawals 91 to 180 days after enrolment.
--   after_180_days: Withdrawals more than 180 days after enrolment.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
)
SELECT breakdown, group_value,
       count(*)::INTEGER AS enrolled,
       count(*) FILTER (WHERE status = 'enrolled')::INTEGER AS in_training,
       count(*) FILTER (WHERE status = 'withdrawn')::INTEGER AS withdrawn,
       round(count(*) FILTER (WHERE status = 'withdrawn') / nullif(count(*) FILTER (WHERE status <> 'enrolled'), 0), 4) AS withdrawal_rate,
       quantile_cont(days_to_withdrawal, 0.25) AS days_p25,
       quantile_cont(days_to_withdrawal, 0.5) AS days_median,
       quantile_cont(days_to_withdrawal, 0.75) AS days_p75,
       round(avg(days_to_withdrawal), 1) AS days_mean,
       count(*) FILTER (WHERE days_to_withdrawal <= 30)::INTEGER AS within_30_days,
       count(*) FILTER (WHERE days_to_withdrawal BETWEEN 31 AND 90)::INTEGER AS days_31_to_90,
       count(*) FILTER (WHERE days_to_withdrawal BETWEEN 91 AND 180)::INTEGER AS days_91_to_180,
       count(*) FILTER (WHERE days_to_withdrawal > 180)::INTEGER AS after_180_days
FROM groups
GROUP BY breakdown, group_value
ORDER BY breakdown, group_value
