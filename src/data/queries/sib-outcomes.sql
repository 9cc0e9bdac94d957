-- Outcomes against each contract's rate card (staging.sib_outcomes): achieved, paid and removed by
-- max_count or the cap, summed over months (marts.sib_payments).
SELECT o.contract_id, o.outcome_code, o.kind, o.parameter, o.price_jpy, o.max_count,
       coalesce(sum(p.achieved), 0) AS achieved,
       coalesce(sum(p.paid_count), 0) AS paid_count,
       coalesce(sum(p.paid_jpy), 0) AS paid_jpy,
       coalesce(sum(p.removed_by_max_count_jpy + p.removed_by_cap_jpy), 0) AS removed_jpy
FROM staging.sib_outcomes o
LEFT JOIN marts.sib_payments p USING (contract_id, outcome_code)
GROUP BY ALL
ORDER BY o.contract_id, o.outcome_code
