-- description: One row per enrolment made by the as-of date (raw.enrollments), with its status as of that date: a completion or withdrawal dated later has not happened yet.
-- columns:
--   participant_id: Pseudonymous participant id.
--   cohort_id: Cohort enrolled in.
--   enrolled_on: Date of enrolment.
--   status: enrolled, completed or withdrawn, as of the as-of date.
--   completed_on: Date of completion, if completed by the as-of date.
--   withdrawn_on: Date of withdrawal, if withdrawn by the as-of date.
--   training_cost_jpy: Cost of the training place (JPY).
SELECT participant_id, cohort_id, enrolled_on,
       CASE WHEN completed_on <= getvariable('as_of') THEN 'completed'
            WHEN withdrawn_on <= getvariable('as_of') THEN 'withdrawn'
            ELSE 'enrolled' END AS status,
       CASE WHEN completed_on <= getvariable('as_of') THEN completed_on END AS completed_on,
       CASE WHEN withdrawn_on <= getvariable('as_of') THEN withdrawn_on END AS withdrawn_on,
       training_cost_jpy
FROM raw.enrollments
WHERE enrolled_on <= getvariable('as_of')
ORDER BY participant_id, cohort_id
