-- People enrolled, completed and in a first job by the quarter their cohort started (marts.cohort_summary
-- for the start date, marts.impact_funnel by cohort for the counts): the sparklines of the overview.
SELECT strftime(c.start_date, '%Y') || '-Q' || quarter(c.start_date) AS quarter,
       sum(f.people_any_order) FILTER (WHERE f.stage = 'enrolled') AS enrolled,
       sum(f.people_any_order) FILTER (WHERE f.stage = 'completed') AS completed,
       sum(f.people_any_order) FILTER (WHERE f.stage = 'first_job') AS employed
FROM marts.impact_funnel f
JOIN marts.cohort_summary c ON f.breakdown = 'cohort' AND f.group_value = c.cohort_id
GROUP BY quarter
ORDER BY quarter
