-- description: Summary of the Kaplan–Meier curve in impact_time_to_first_job, one row per breakdown and group: completers, jobs found, censored, the median days from completion to first job (the first t with S(t) ≤ 0.5; empty while the curve has not fallen to 0.5), its 95% confidence limits read off the log-log band, and S(t) at 90, 180 and 365 days.
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter.
--   group_value: The group: 'all' or the attribute's value.
--   completers: People in the group who completed by the as-of date (n at risk at the start).
--   jobs_found: Completers whose first job has started (events).
--   censored: Completers without a job at the as-of date.
--   median_days: First t with S(t) ≤ 0.5; empty if S(t) stays above 0.5 (median not reached). Unlike R's survfit, no midpoint is taken when S(t) equals 0.5 exactly.
--   median_lower_95: Lower 95% limit of the median: the first t at which the band's lower end is ≤ 0.5 (or S(t) = 0); empty if never.
--   median_upper_95: Upper 95% limit of the median: the first t at which the band's upper end is ≤ 0.5 (or S(t) = 0); empty if never (not yet known).
--   survival_90: S(90): estimated share still without a job 90 days after completion; empty if the curve ends (last observation) before 90 days.
--   survival_180: S(180), likewise.
--   survival_365: S(365), likewise.
WITH curve AS (
  SELECT * FROM marts.impact_time_to_first_job
),
at_horizon AS (
  -- S at h is S at the last time ≤ h, defined while someone is still observed at h (the last time in the curve ≥ h)
  SELECT c.breakdown, c.group_value, h.horizon,
         CASE WHEN max(c.days) >= h.horizon THEN coalesce(arg_max(c.survival, c.days) FILTER (WHERE c.days <= h.horizon), 1.0) END AS s
  FROM curve c CROSS JOIN (VALUES (90), (180), (365)) AS h(horizon)
  GROUP BY c.breakdown, c.group_value, h.horizon
)
SELECT c.breakdown, c.group_value,
       max(c.n_at_risk) AS completers,
       sum(c.events)::INTEGER AS jobs_found,
       sum(c.censored)::INTEGER AS censored,
       min(c.days) FILTER (WHERE c.survival <= 0.5) AS median_days,
       min(c.days) FILTER (WHERE c.lower_95 <= 0.5 OR c.survival = 0) AS median_lower_95,
       min(c.days) FILTER (WHERE c.upper_95 <= 0.5 OR c.survival = 0) AS median_upper_95,
       (SELECT s FROM at_horizon a WHERE a.breakdown = c.breakdown AND a.group_value = c.group_value AND a.horizon = 90) AS survival_90,
       (SELECT s FROM at_horizon a WHERE a.breakdown = c.breakdown AND a.group_value = c.group_value AND a.horizon = 180) AS survival_180,
       (SELECT s FROM at_horizon a WHERE a.breakdown = c.breakdown AND a.group_value = c.group_value AND a.horizon = 365) AS survival_365
FROM curve c
GROUP BY c.breakdown, c.group_value
ORDER BY c.breakdown, c.group_value
