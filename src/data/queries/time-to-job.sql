-- Kaplan–Meier time to first job (marts.impact_time_to_first_job) read every 14 days up to two
-- years, for everyone, each track and each completion quarter: S(t), its 95% band and the people
-- still at risk just after t. Reading on a grid publishes the curve without the day of each event.
-- Day 0 is the start of the curve, before anyone's first day: everyone who completed is at risk and
-- S = 1, so that the first published step, like every other, is a change the disclosure rules can
-- pool (pipelines/dashboard/tables.ts: each published change in the number at risk covers at least k).
WITH groups AS (
  SELECT breakdown, group_value, max(days) AS last_day, max(n_at_risk) AS completers
  FROM marts.impact_time_to_first_job
  WHERE breakdown IN ('all', 'track', 'completion_quarter')
  GROUP BY ALL
),
grid AS (
  SELECT g.breakdown, g.group_value, g.completers, d.days
  FROM groups g, range(0, 731, 14) d(days)
  WHERE d.days <= g.last_day
)
SELECT g.breakdown, g.group_value, g.days,
       CASE WHEN g.days = 0 THEN g.completers ELSE coalesce(k.n_at_risk - k.events - k.censored, g.completers) END AS at_risk,
       CASE WHEN g.days = 0 THEN 1.0 ELSE coalesce(k.survival, 1.0) END AS survival,
       CASE WHEN g.days = 0 THEN 1.0 ELSE coalesce(k.lower_95, 1.0) END AS lower_95,
       CASE WHEN g.days = 0 THEN 1.0 ELSE coalesce(k.upper_95, 1.0) END AS upper_95
FROM grid g
ASOF LEFT JOIN marts.impact_time_to_first_job k
  ON k.breakdown = g.breakdown AND k.group_value = g.group_value AND k.days <= g.days
ORDER BY g.breakdown, g.group_value, g.days
