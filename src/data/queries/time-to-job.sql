-- Kaplan–Meier time to first job (marts.impact_time_to_first_job) read every 14 days up to two
-- years, for everyone, each track and each completion quarter: S(t), its 95% band and the people
-- still at risk just after t. Reading on a grid publishes the curve without the day of each event.
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
       coalesce(k.n_at_risk - k.events - k.censored, g.completers) AS at_risk,
       coalesce(k.survival, 1.0) AS survival,
       coalesce(k.lower_95, 1.0) AS lower_95,
       coalesce(k.upper_95, 1.0) AS upper_95
FROM grid g
ASOF LEFT JOIN marts.impact_time_to_first_job k
  ON k.breakdown = g.breakdown AND k.group_value = g.group_value AND k.days <= g.days
ORDER BY g.breakdown, g.group_value, g.days
