-- description: One row per cohort started by the as-of date, with its planned length.
-- columns:
--   cohort_id: Cohort identifier.
--   track: Training track.
--   provider: Training provider.
--   start_date: First day of training.
--   end_date: Last day of training.
--   training_days: Days from start_date to end_date inclusive.
--   finished: True when end_date is on or before the as-of date.
SELECT cohort_id, track, provider, start_date, end_date,
       date_diff('day', start_date, end_date) + 1 AS training_days,
       end_date <= getvariable('as_of') AS finished
FROM staging.cohorts
ORDER BY cohort_id
