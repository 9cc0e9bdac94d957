-- description: One row per enrolment as of the as-of date, with its cohort's track and provider and whether it is the participant's first.
-- columns:
--   participant_id: Pseudonymous participant id.
--   cohort_id: Cohort.
--   track: Track of the cohort.
--   provider: Provider of the cohort.
--   enrolled_on: Date of enrolment.
--   status: enrolled, completed or withdrawn, as of the as-of date.
--   completed_on: Completion date, if completed by the as-of date.
--   withdrawn_on: Withdrawal date, if withdrawn by the as-of date.
--   days_to_withdrawal: Days from enrolment to withdrawal, for withdrawals.
--   training_cost_jpy: Cost of the training place (JPY).
--   is_first: True for the participant's first enrolment (by date, then cohort id).
SELECT e.participant_id, e.cohort_id, c.track, c.provider, e.enrolled_on, e.status, e.completed_on, e.withdrawn_on,
       date_diff('day', e.enrolled_on, e.withdrawn_on) AS days_to_withdrawal,
       e.training_cost_jpy,
       row_number() OVER (PARTITION BY e.participant_id ORDER BY e.enrolled_on, e.cohort_id) = 1 AS is_first
FROM staging.enrollments e
JOIN core.cohorts c USING (cohort_id)
ORDER BY e.participant_id, e.cohort_id
