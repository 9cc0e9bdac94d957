-- Median time to first job and S(180) per group (marts.impact_time_to_first_job_summary).
SELECT breakdown, group_value, completers, jobs_found, median_days, median_lower_95, median_upper_95, survival_180
FROM marts.impact_time_to_first_job_summary
WHERE breakdown IN ('all', 'track', 'completion_quarter')
ORDER BY breakdown, group_value
