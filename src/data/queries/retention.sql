-- Retention 6 and 12 months after the first job, and impact sourcing to direct hire (marts.impact_retention).
SELECT breakdown, group_value, measure, eligible, achieved, rate, median_days
FROM marts.impact_retention
WHERE breakdown IN ('all', 'track')
ORDER BY breakdown, group_value, measure
