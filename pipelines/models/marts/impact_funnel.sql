-- description: Programme funnel in long format, one row per breakdown, group and stage, as of the as-of date: how many people (first enrolments) reached each stage enrolled → completed → first_job → first_it_job → sustained_6m → income_at_threshold → repaying. `people` counts those who reached the stage and every earlier one, so it never increases along the funnel; `people_any_order` counts everyone who reached the stage's milestone regardless of the earlier ones. Milestones come from core.participant_milestones; definitions in docs/metrics/impact.md. Counts are not suppressed here; published outputs apply disclosure control.
-- columns:
--   breakdown: What the group is a value of: all, cohort, track, provider, municipality, gender, origin_region, residence_status, age_band or completion_quarter (completers only).
--   group_value: The group: 'all', or the cohort id, track, provider, municipality code, gender, origin region, residence status, age band or completion quarter (YYYY-Qn).
--   stage_order: Position of the stage in the funnel, 1 (enrolled) to 7 (repaying).
--   stage: enrolled, completed, first_job, first_it_job, sustained_6m, income_at_threshold or repaying.
--   people: People in the group who reached this stage and every earlier stage by the as-of date.
--   people_any_order: People in the group who reached this stage's milestone by the as-of date, whether or not they reached the earlier stages.
--   share_of_enrolled: people / people enrolled in the group, rounded to 4 decimals.
--   share_of_previous: people / people at the previous stage, rounded to 4 decimals; empty for enrolled and when the previous stage has nobody.
WITH groups AS (
  UNPIVOT (SELECT m.*, 'all' AS "all", m.cohort_id AS cohort, m.municipality_code AS municipality FROM core.participant_milestones m)
  ON "all", cohort, track, provider, municipality, gender, origin_region, residence_status, age_band, completion_quarter
  INTO NAME breakdown VALUE group_value
),
flags AS (
  SELECT breakdown, group_value,
         [true,
          completed_on IS NOT NULL,
          first_job_on IS NOT NULL,
          first_it_job_on IS NOT NULL,
          sustained_6m_on IS NOT NULL,
          income_at_threshold_on IS NOT NULL,
          first_repayment_on IS NOT NULL] AS reached
  FROM groups
),
stages AS (
  SELECT * FROM (VALUES (1, 'enrolled'), (2, 'completed'), (3, 'first_job'), (4, 'first_it_job'),
                        (5, 'sustained_6m'), (6, 'income_at_threshold'), (7, 'repaying')) AS s(stage_order, stage)
),
counts AS (
  SELECT f.breakdown, f.group_value, s.stage_order, s.stage,
         count(*) FILTER (WHERE list_bool_and(f.reached[1:s.stage_order])) AS people,
         count(*) FILTER (WHERE f.reached[s.stage_order]) AS people_any_order
  FROM flags f CROSS JOIN stages s
  GROUP BY ALL
)
SELECT breakdown, group_value, stage_order::INTEGER AS stage_order, stage, people::INTEGER AS people, people_any_order::INTEGER AS people_any_order,
       round(people / first_value(people) OVER w, 4) AS share_of_enrolled,
       round(people / nullif(lag(people) OVER w, 0), 4) AS share_of_previous
FROM counts
WINDOW w AS (PARTITION BY breakdown, group_value ORDER BY stage_order)
ORDER BY breakdown, group_value, stage_order
