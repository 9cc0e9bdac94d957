-- description: One row per participant referred to a SIB contract by the as-of date (staging.sib_referrals).
-- columns:
--   contract_id: Contract.
--   participant_id: Pseudonymous participant id.
--   referred_on: Date of referral; outcomes count only from this date.
SELECT contract_id, participant_id, referred_on
FROM staging.sib_referrals
ORDER BY contract_id, participant_id
