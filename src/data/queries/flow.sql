-- The flow from enrolment to completion, to the type of the first job, to the repayment status of the
-- participant's first CIB agreement: people per link, for everyone and per track
-- (core.participant_milestones, marts.cib_agreements).
WITH first_agreement AS (
  SELECT participant_id, arg_min(status, signed_on) AS cib_status
  FROM marts.cib_agreements
  GROUP BY participant_id
),
people AS (
  SELECT m.track, m.status,
         CASE WHEN m.status <> 'completed' THEN NULL
              WHEN m.first_job_on IS NULL THEN 'no_job_yet'
              ELSE m.first_job_type END AS job,
         CASE WHEN m.first_job_on IS NULL THEN NULL
              WHEN a.cib_status IS NULL THEN 'no_agreement'
              WHEN a.cib_status IN ('completed_cap', 'completed_payments') THEN 'repaid'
              WHEN a.cib_status IN ('deferred', 'unreported') THEN a.cib_status
              WHEN a.cib_status IN ('training', 'grace') THEN 'grace'
              ELSE a.cib_status END AS repayment
  FROM core.participant_milestones m
  LEFT JOIN first_agreement a USING (participant_id)
),
grouped AS (
  SELECT 'all' AS breakdown, 'all' AS group_value, * EXCLUDE (track) FROM people
  UNION ALL
  SELECT 'track', track, * EXCLUDE (track) FROM people WHERE track IS NOT NULL
),
links AS (
  SELECT breakdown, group_value, 1 AS step, 'enrolled' AS source, CASE status WHEN 'enrolled' THEN 'in_training' ELSE status END AS target, count(*) AS people
  FROM grouped GROUP BY ALL
  UNION ALL
  SELECT breakdown, group_value, 2, 'completed', job, count(*)
  FROM grouped WHERE job IS NOT NULL GROUP BY ALL
  UNION ALL
  SELECT breakdown, group_value, 3, job, repayment, count(*)
  FROM grouped WHERE repayment IS NOT NULL GROUP BY ALL
)
SELECT * FROM links ORDER BY breakdown, group_value, step, source, target
