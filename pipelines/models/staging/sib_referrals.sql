-- description: One row per participant referred to a SIB contract by the as-of date (raw.sib_referrals).
-- columns:
--   contract_id: Contract.
--   participant_id: Pseudonymous participant id.
--   referred_on: Date of referral.
SELECT contract_id, participant_id, referred_on
FROM raw.sib_referrals
WHERE referred_on <= getvariable('as_of')
ORDER BY contract_id, participant_id
