-- description: Retention after the first job and progression from impact sourcing to direct hire, per breakdown and group (long format, as impact_funnel), one row per measure. retained_6_months / retained_12_months: among people whose first job (first spell starting on or after completion) started at least 6 / 12 calendar months before the as-of date, the share whose employment run beginning with that job (spells joined across gaps of 14 days or less) lasted to first_job_on + 6 / 12 months. hired_directly_after_impact_sourcing: among people with an impact_sourcing spell starting on or after completion, the share with a direct_hire spell starting after their first impact_sourcing spell, by the as-of date (not adjusted for length of follow-up), and the median days that took.
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter.
--   group_value: The group: 'all' or the attribute's value.
--   measure: retained_6_months, retained_12_months or hired_directly_after_impact_sourcing.
--   eligible: The measure's denominator (see the description).
--   achieved: Of those, people retained, or hired directly.
--   rate: achieved / eligible, rounded to 4 decimals; empty when nobody is eligible.
--   median_days: For hired_directly_after_impact_sourcing, median days from the first impact_sourcing start to the first later direct_hire start (quantile_cont, type 7); empty for the retention measures.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m WHERE m.first_job_on IS NOT NULL)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
),
retention AS (
  SELECT g.breakdown, g.group_value, printf('retained_%d_months', h.months) AS measure,
         count(*) FILTER (WHERE g.first_job_on + to_months(h.months) <= getvariable('as_of')) AS eligible,
         count(*) FILTER (WHERE g.first_job_on + to_months(h.months) <= getvariable('as_of')
                            AND coalesce(g.first_run_ended_on, getvariable('as_of')) >= g.first_job_on + to_months(h.months)) AS achieved,
         NULL::DOUBLE AS median_days
  FROM groups g CROSS JOIN (VALUES (6), (12)) AS h(months)
  GROUP BY ALL
),
direct AS (
  SELECT breakdown, group_value, 'hired_directly_after_impact_sourcing' AS measure,
         count(*) FILTER (WHERE first_impact_sourcing_on IS NOT NULL) AS eligible,
         count(*) FILTER (WHERE direct_hire_after_sourcing_on IS NOT NULL) AS achieved,
         quantile_cont(date_diff('day', first_impact_sourcing_on, direct_hire_after_sourcing_on), 0.5)::DOUBLE AS median_days
  FROM groups
  GROUP BY ALL
)
SELECT breakdown, group_value, measure, eligible::INTEGER AS eligible, achieved::INTEGER AS achieved,
       round(achieved / nullif(eligible, 0), 4) AS rate,
       median_days
FROM (SELECT * FROM retention UNION ALL SELECT * FROM direct)
ORDER BY breakdown, group_value, measure
