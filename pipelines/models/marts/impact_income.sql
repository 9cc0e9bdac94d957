-- description: Monthly gross income of completers by months since completion, per breakdown and group (long format, as impact_funnel): quartiles of the reported figure and, for people who reported pre-programme income, the uplift against their own baseline. Each participant-month counts once (core.income_months keeps the most authoritative source); months without a report are not imputed, and reported zero months count as zero. Quantiles are DuckDB quantile_cont: linear interpolation between order statistics (Hyndman–Fan type 7, R's and Excel's default).
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter.
--   group_value: The group: 'all' or the attribute's value.
--   months_since_completion: Whole calendar months from the month of completion to the income month (0 = the month of completion; negative before it).
--   people: Completers in the group with a reported income for that month.
--   income_p25: First quartile of gross monthly income (JPY, type 7).
--   income_median: Median gross monthly income (JPY, type 7).
--   income_p75: Third quartile of gross monthly income (JPY, type 7).
--   income_mean: Mean gross monthly income (JPY), rounded to the yen.
--   people_with_baseline: Of people, those with a pre-programme income (mean of their reported months before the month of enrolment, core.participant_milestones.pre_programme_income_jpy).
--   uplift_median_jpy: Median of (income that month − pre-programme income), JPY (type 7).
--   uplift_median_ratio: Median of (income that month / pre-programme income), among people whose baseline is above zero (type 7), rounded to 4 decimals.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m WHERE m.completed_on IS NOT NULL)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
)
SELECT g.breakdown, g.group_value, i.months_since_completion::INTEGER AS months_since_completion,
       count(*)::INTEGER AS people,
       -- one sort for the three quartiles (the same list aggregate, computed once)
       quantile_cont(i.gross_income_jpy, [0.25, 0.5, 0.75])[1]::DOUBLE AS income_p25,
       quantile_cont(i.gross_income_jpy, [0.25, 0.5, 0.75])[2]::DOUBLE AS income_median,
       quantile_cont(i.gross_income_jpy, [0.25, 0.5, 0.75])[3]::DOUBLE AS income_p75,
       round(avg(i.gross_income_jpy)) AS income_mean,
       count(g.pre_programme_income_jpy)::INTEGER AS people_with_baseline,
       quantile_cont(i.gross_income_jpy - g.pre_programme_income_jpy, 0.5) AS uplift_median_jpy,
       round(quantile_cont(i.gross_income_jpy / g.pre_programme_income_jpy, 0.5) FILTER (WHERE g.pre_programme_income_jpy > 0), 4) AS uplift_median_ratio
FROM groups g
JOIN core.income_months i USING (participant_id)
GROUP BY g.breakdown, g.group_value, i.months_since_completion
ORDER BY g.breakdown, g.group_value, i.months_since_completion
