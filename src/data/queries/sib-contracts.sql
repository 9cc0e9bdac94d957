-- One row per SIB contract: terms (core.sib_contracts), people referred (core.sib_referrals) and with
-- an outcome (marts.sib_outcome_audit), payments, cap usage and the investor's return
-- (marts.sib_investor_returns).
WITH referred AS (
  SELECT contract_id, count(DISTINCT participant_id) AS referred FROM core.sib_referrals GROUP BY contract_id
),
people AS (
  SELECT contract_id, count(DISTINCT participant_id) AS people FROM marts.sib_outcome_audit GROUP BY contract_id
)
SELECT c.contract_id, c.name AS contract_name, c.municipality_code, strftime(c.start_date, '%Y-%m-%d') AS start_date,
       strftime(c.end_date, '%Y-%m-%d') AS end_date, c.payment_cap_jpy,
       coalesce(r.referred, 0) AS referred, coalesce(p.people, 0) AS people,
       i.outcomes_achieved, i.outcomes_paid, i.outcome_payments_jpy,
       i.removed_by_max_count_jpy + i.removed_by_cap_jpy AS removed_jpy,
       round(i.outcome_payments_jpy / c.payment_cap_jpy, 4) AS cap_used,
       i.investor_paid_in_jpy, i.investor_net_jpy, i.money_multiple, i.investor_xirr
FROM core.sib_contracts c
LEFT JOIN referred r USING (contract_id)
LEFT JOIN people p USING (contract_id)
LEFT JOIN marts.sib_investor_returns i USING (contract_id)
ORDER BY c.contract_id
