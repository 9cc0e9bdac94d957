-- description: Kaplan–Meier curve of days from completion to the first job (first employment spell starting on or after completed_on), per breakdown and group (long format, as impact_funnel), among completers. People not yet employed are right-censored at the as-of date (time = as-of − completed_on). One row per distinct time with an event or a censoring. S(t) is the product-limit estimate; its standard error is Greenwood's, SE = S(t)·sqrt(Σ d/(n(n−d))); the 95% band uses the log-log transform (Kalbfleisch–Prentice; R survival's conf.type = "log-log", not its default "log"), so it stays within [0, 1]. The TypeScript reference is pipelines/metrics/kaplan-meier.ts; docs/metrics/impact.md has the formulas and a worked example.
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter.
--   group_value: The group: 'all' or the attribute's value.
--   days: t, days from completed_on to the first job's started_on (event) or to the as-of date (censored).
--   n_at_risk: People whose time is t or more (not yet employed and still observed just before t).
--   events: People whose first job started t days after completion.
--   censored: People not employed by the as-of date who completed t days before it.
--   survival: S(t), the estimated share still without a job t days after completion: the product over times u ≤ t of (1 − events/n_at_risk).
--   std_err: Greenwood standard error of S(t); empty once S(t) = 0 (undefined).
--   lower_95: Lower end of the pointwise 95% band, S(t)^exp(+1.96·SE/(S·|ln S|)) (log-log); equals S(t) while the variance is 0 (no event yet); empty when S(t) = 0.
--   upper_95: Upper end of the band, S(t)^exp(−1.96·SE/(S·|ln S|)); equals S(t) while the variance is 0; empty when S(t) = 0.
--   placed_share: 1 − S(t): the estimated share who have found a job within t days.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m WHERE m.completed_on IS NOT NULL)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
),
observed AS (
  SELECT breakdown, group_value,
         date_diff('day', completed_on, coalesce(first_job_on, getvariable('as_of'))) AS days,
         first_job_on IS NOT NULL AS event
  FROM groups
),
by_time AS (
  SELECT breakdown, group_value, days,
         count(*) FILTER (WHERE event) AS events,
         count(*) FILTER (WHERE NOT event) AS censored
  FROM observed
  GROUP BY breakdown, group_value, days
),
at_risk AS (
  SELECT *, sum(events + censored) OVER (PARTITION BY breakdown, group_value ORDER BY days DESC ROWS UNBOUNDED PRECEDING)::BIGINT AS n_at_risk
  FROM by_time
),
estimate AS (
  SELECT *,
         product(1.0::DOUBLE - events::DOUBLE / n_at_risk) OVER w AS survival,
         sum(CASE WHEN events < n_at_risk THEN events::DOUBLE / (n_at_risk * (n_at_risk - events)) END) OVER w AS greenwood
  FROM at_risk
  WINDOW w AS (PARTITION BY breakdown, group_value ORDER BY days ROWS UNBOUNDED PRECEDING)
),
banded AS (
  SELECT *,
         CASE WHEN survival > 0 THEN survival * sqrt(greenwood) END AS std_err,
         -- SE of ln(−ln S) by the delta method: sqrt(Σ d/(n(n−d))) / |ln S|
         CASE WHEN survival > 0 AND greenwood > 0 THEN 1.959963984540054 * sqrt(greenwood) / abs(ln(survival)) END AS half_width
  FROM estimate
)
SELECT breakdown, group_value, days::INTEGER AS days, n_at_risk::INTEGER AS n_at_risk, events::INTEGER AS events, censored::INTEGER AS censored, survival, std_err,
       CASE WHEN survival = 0 THEN NULL WHEN half_width IS NULL THEN survival ELSE pow(survival, exp(half_width)) END AS lower_95,
       CASE WHEN survival = 0 THEN NULL WHEN half_width IS NULL THEN survival ELSE pow(survival, exp(-half_width)) END AS upper_95,
       1 - survival AS placed_share
FROM banded
ORDER BY breakdown, group_value, days
