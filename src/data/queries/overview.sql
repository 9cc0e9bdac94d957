-- Headline figures: people enrolled, completed and in a first job (marts.impact_funnel, all), the
-- median income uplift 12 months after completion (marts.impact_income), the CIB fund's recovery rate
-- (marts.cib_fund) and the SIB outcome payments earned (marts.sib_outcome_audit).
WITH funnel AS (
  SELECT max(people) FILTER (WHERE stage = 'enrolled') AS enrolled,
         max(people_any_order) FILTER (WHERE stage = 'completed') AS completed,
         max(people_any_order) FILTER (WHERE stage = 'first_job') AS employed
  FROM marts.impact_funnel
  WHERE breakdown = 'all'
),
uplift AS (
  SELECT people_with_baseline AS uplift_people, uplift_median_jpy
  FROM marts.impact_income
  WHERE breakdown = 'all' AND months_since_completion = 12
),
sib AS (
  SELECT count(DISTINCT participant_id) FILTER (WHERE paid_jpy > 0) AS paid_people, coalesce(sum(paid_jpy), 0) AS outcome_payments_jpy
  FROM marts.sib_outcome_audit
)
SELECT f.enrolled, f.completed, f.employed, u.uplift_people, u.uplift_median_jpy,
       c.agreements, c.recovery_rate, s.paid_people, s.outcome_payments_jpy
FROM funnel f
CROSS JOIN marts.cib_fund c
CROSS JOIN sib s
LEFT JOIN uplift u ON true
