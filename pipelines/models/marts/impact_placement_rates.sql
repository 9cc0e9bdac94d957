-- description: Placement within 90, 180 and 365 days of completion, per breakdown and group (long format, as impact_funnel), counting only people observed at least that long: completers whose completed_on is at least that many days before the as-of date. Placed means a first job (first employment spell starting on or after completed_on) starting at most that many days after completed_on. Compare with 1 − S(t) in impact_time_to_first_job, which also uses the people observed for less time.
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter.
--   group_value: The group: 'all' or the attribute's value.
--   horizon_days: 90, 180 or 365.
--   eligible: Completers with as-of − completed_on ≥ horizon_days.
--   placed: Of those, people whose first job started within horizon_days of completion (first_job_on − completed_on ≤ horizon_days).
--   placement_rate: placed / eligible, rounded to 4 decimals; empty when nobody is eligible.
--   not_observed: Completers left out because they completed fewer than horizon_days days before the as-of date.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m WHERE m.completed_on IS NOT NULL)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
),
observed AS (
  SELECT g.breakdown, g.group_value, h.horizon_days,
         date_diff('day', g.completed_on, getvariable('as_of')) >= h.horizon_days AS eligible,
         date_diff('day', g.completed_on, g.first_job_on) <= h.horizon_days AS placed
  FROM groups g CROSS JOIN (VALUES (90), (180), (365)) AS h(horizon_days)
)
SELECT breakdown, group_value, horizon_days::INTEGER AS horizon_days,
       count(*) FILTER (WHERE eligible)::INTEGER AS eligible,
       count(*) FILTER (WHERE eligible AND placed)::INTEGER AS placed,
       round(count(*) FILTER (WHERE eligible AND placed) / nullif(count(*) FILTER (WHERE eligible), 0), 4) AS placement_rate,
       count(*) FILTER (WHERE NOT eligible)::INTEGER AS not_observed
FROM observed
GROUP BY breakdown, group_value, horizon_days
ORDER BY breakdown, group_value, horizon_days
