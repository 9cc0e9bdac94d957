-- description: One row per cohort that had started by the as-of date (raw.cohorts).
-- columns:
--   cohort_id: Cohort identifier.
--   track: Training track.
--   provider: Training provider.
--   start_date: First day of training.
--   end_date: Last day of training (planned, when after the as-of date).
SELECT cohort_id, track, provider, start_date, end_date
FROM raw.cohorts
WHERE start_date <= getvariable('as_of')
ORDER BY cohort_id
