-- The funnel (marts.impact_funnel) for everyone, each track and each cohort, with the group's enrolled
-- count and, for a cohort, the quarter it started (marts.cohort_summary): the cohorts of a quarter add up
-- to the overview's trend (overview-trend.sql), which the disclosure check subtracts along.
SELECT f.breakdown, f.group_value,
       CASE WHEN f.breakdown = 'cohort' THEN strftime(c.start_date, '%Y') || '-Q' || quarter(c.start_date) END AS quarter,
       f.stage_order, f.stage,
       first_value(f.people) OVER (PARTITION BY f.breakdown, f.group_value ORDER BY f.stage_order) AS enrolled,
       f.people, f.share_of_enrolled
FROM marts.impact_funnel f
LEFT JOIN marts.cohort_summary c ON f.breakdown = 'cohort' AND c.cohort_id = f.group_value
WHERE f.breakdown IN ('all', 'track', 'cohort')
ORDER BY f.breakdown, f.group_value, f.stage_order
