-- description: One row per cohort: how many enrolled, completed, withdrew or are still in training, and how many completers have started a job, as of the as-of date. Counts are of people (first enrolments only) and are not suppressed here; published outputs apply disclosure control.
-- columns:
--   cohort_id: Cohort identifier.
--   track: Training track.
--   provider: Training provider.
--   start_date: First day of training.
--   end_date: Last day of training.
--   enrolled: Participants whose first enrolment is in this cohort.
--   in_training: Of those, still enrolled at the as-of date.
--   completed: Of those, completed by the as-of date.
--   withdrawn: Of those, withdrawn by the as-of date.
--   completion_rate: completed / (completed + withdrawn): among those whose training has ended; empty when none has.
--   employed_after_completion: Completers with at least one employment spell starting on or after their completion date.
--   training_cost_jpy: Sum of the training costs of all enrolments in this cohort, first or not (JPY).
WITH people AS (
  SELECT p.cohort_id, p.participant_id, p.status,
         EXISTS (SELECT 1 FROM core.employment_spells s
                 WHERE s.participant_id = p.participant_id AND s.days_after_completion >= 0) AS employed_after_completion
  FROM core.participants p
  WHERE p.cohort_id IS NOT NULL
)
SELECT c.cohort_id, c.track, c.provider, c.start_date, c.end_date,
       count(pe.participant_id) AS enrolled,
       count(*) FILTER (WHERE pe.status = 'enrolled') AS in_training,
       count(*) FILTER (WHERE pe.status = 'completed') AS completed,
       count(*) FILTER (WHERE pe.status = 'withdrawn') AS withdrawn,
       round(count(*) FILTER (WHERE pe.status = 'completed')
             / nullif(count(*) FILTER (WHERE pe.status IN ('completed', 'withdrawn')), 0), 4) AS completion_rate,
       count(*) FILTER (WHERE pe.status = 'completed' AND pe.employed_after_completion) AS employed_after_completion,
       coalesce((SELECT sum(e.training_cost_jpy) FROM core.enrollments e WHERE e.cohort_id = c.cohort_id), 0)::BIGINT AS training_cost_jpy
FROM core.cohorts c
LEFT JOIN people pe ON pe.cohort_id = c.cohort_id
GROUP BY ALL
ORDER BY c.start_date, c.cohort_id
