-- description: One row per employment spell as of the as-of date, with its length and its timing relative to the participant's completion.
-- columns:
--   employment_id: Spell identifier.
--   participant_id: Pseudonymous participant id.
--   employer_ref: Employer reference.
--   employment_type: impact_sourcing, direct_hire or other.
--   it_role: Whether the job is an IT role.
--   contract: full_time, part_time, fixed_term or freelance.
--   started_on: First day of the spell.
--   ended_on: Last day of the spell, empty if open at the as-of date.
--   is_open: True when the spell had not ended by the as-of date.
--   duration_days: Days from started_on to ended_on inclusive, or to the as-of date when open.
--   weekly_hours: Contracted hours per week, if reported.
--   days_after_completion: started_on minus the completion date of the participant's first enrolment (negative if it started before completion; empty if not completed).
SELECT s.employment_id, s.participant_id, s.employer_ref, s.employment_type, s.it_role, s.contract,
       s.started_on, s.ended_on,
       s.ended_on IS NULL AS is_open,
       date_diff('day', s.started_on, coalesce(s.ended_on, getvariable('as_of'))) + 1 AS duration_days,
       s.weekly_hours,
       date_diff('day', p.completed_on, s.started_on) AS days_after_completion
FROM staging.employment s
LEFT JOIN core.participants p USING (participant_id)
ORDER BY s.employment_id
