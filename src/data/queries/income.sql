-- Monthly income of completers by months since completion, 0 to 36, with the uplift against their
-- pre-programme income (marts.impact_income), for everyone and each track.
SELECT breakdown, group_value, months_since_completion, people, income_p25, income_median, income_p75, income_mean,
       people_with_baseline, uplift_median_jpy, uplift_median_ratio
FROM marts.impact_income
WHERE breakdown IN ('all', 'track') AND months_since_completion BETWEEN 0 AND 36
ORDER BY breakdown, group_value, months_since_completion
