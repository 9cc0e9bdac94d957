-- description: One row per employment spell started by the as-of date (raw.employment); a spell ending after the as-of date is still open as of that date.
-- columns:
--   employment_id: Spell identifier.
--   participant_id: Pseudonymous participant id.
--   employer_ref: Employer reference.
--   employment_type: impact_sourcing, direct_hire or other.
--   it_role: Whether the job is an IT role.
--   contract: full_time, part_time, fixed_term or freelance.
--   started_on: First day of the spell.
--   ended_on: Last day of the spell, empty if still open at the as-of date.
--   weekly_hours: Contracted hours per week, if reported.
SELECT employment_id, participant_id, employer_ref, employment_type, it_role, contract, started_on,
       CASE WHEN ended_on <= getvariable('as_of') THEN ended_on END AS ended_on,
       weekly_hours
FROM raw.employment
WHERE started_on <= getvariable('as_of')
ORDER BY employment_id
