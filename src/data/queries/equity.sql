-- The same outcomes by gender, origin region, residence status and age band: enrolled, completed and
-- employed (marts.impact_funnel), placement within 180 days (marts.impact_placement_rates), median days
-- to a first job (marts.impact_time_to_first_job_summary) and median income 12 months after
-- completion (marts.impact_income).
WITH funnel AS (
  SELECT breakdown, group_value,
         max(people_any_order) FILTER (WHERE stage = 'enrolled') AS enrolled,
         max(people_any_order) FILTER (WHERE stage = 'completed') AS completed,
         max(people_any_order) FILTER (WHERE stage = 'first_job') AS employed
  FROM marts.impact_funnel
  WHERE breakdown IN ('gender', 'origin_region', 'residence_status', 'age_band')
  GROUP BY ALL
)
SELECT f.breakdown, f.group_value, f.enrolled, f.completed, f.employed,
       round(f.completed / nullif(f.enrolled, 0), 4) AS completion_share,
       round(f.employed / nullif(f.completed, 0), 4) AS employment_share,
       coalesce(p.eligible, 0) AS eligible_180, coalesce(p.placed, 0) AS placed_180, p.placement_rate AS placement_rate_180,
       s.median_days AS median_days_to_job,
       coalesce(i.people, 0) AS income_people_12m, i.income_median AS income_median_12m
FROM funnel f
LEFT JOIN marts.impact_placement_rates p ON p.breakdown = f.breakdown AND p.group_value = f.group_value AND p.horizon_days = 180
LEFT JOIN marts.impact_time_to_first_job_summary s ON s.breakdown = f.breakdown AND s.group_value = f.group_value
LEFT JOIN marts.impact_income i ON i.breakdown = f.breakdown AND i.group_value = f.group_value AND i.months_since_completion = 12
ORDER BY f.breakdown, f.group_value
