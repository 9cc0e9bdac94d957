-- description: One row per run of continuous employment: a participant's employment spells starting on or after the completion date of their first enrolment, joined when a spell starts 14 days or less after the latest end of the spells before it (overlapping and nested spells join; an open spell runs to the as-of date). Used by the sustained_employment outcome of the SIBs (docs/metrics/sib.md).
-- columns:
--   participant_id: Pseudonymous participant id.
--   run_no: 1, 2, … in order of the run's start.
--   started_on: First day of the run (started_on of its first spell).
--   ends_on: Last day of the run: the latest ended_on of its spells, or the as-of date when one of them is open.
--   is_open: True when a spell of the run is open at the as-of date.
--   spells: Number of spells joined into the run.
--   duration_days: Days from started_on to ends_on inclusive.
WITH spells AS (
  SELECT s.participant_id, s.employment_id, s.started_on,
         coalesce(s.ended_on, getvariable('as_of')) AS ends_on,
         s.ended_on IS NULL AS is_open
  FROM core.employment_spells s
  JOIN core.participants p USING (participant_id)
  WHERE p.completed_on IS NOT NULL AND s.started_on >= p.completed_on
),
marked AS (
  SELECT *,
         -- a spell starts a new run unless it starts within 14 days of the latest end so far
         CASE WHEN date_diff('day', max(ends_on) OVER (PARTITION BY participant_id ORDER BY started_on, employment_id
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), started_on) <= 14
              THEN 0 ELSE 1 END AS starts_run
  FROM spells
),
numbered AS (
  SELECT *, sum(starts_run) OVER (PARTITION BY participant_id ORDER BY started_on, employment_id ROWS UNBOUNDED PRECEDING) AS run_no
  FROM marked
)
SELECT participant_id, run_no::INTEGER AS run_no, min(started_on) AS started_on, max(ends_on) AS ends_on, bool_or(is_open) AS is_open,
       count(*)::INTEGER AS spells,
       date_diff('day', min(started_on), max(ends_on)) + 1 AS duration_days
FROM numbered
GROUP BY participant_id, run_no
ORDER BY participant_id, run_no
