-- description: SIB outcome payments: one row per contract, outcome code and month in which outcomes of that code were achieved (period = the month's first day), with what was paid and, beside it, what max_count and the payment cap removed, and the contract's cumulative payments against its cap. Summed from marts.sib_outcome_audit, which traces every amount to the participants and dates that earned it (docs/metrics/sib.md).
-- columns:
--   contract_id: Contract.
--   outcome_code: Outcome code on the contract's rate card.
--   kind: job_start, sustained_employment or income_at_least.
--   period: First day of the month in which the outcomes were achieved.
--   achieved: Outcomes of this code achieved in the month (rows of marts.sib_outcome_audit).
--   paid_count: Of those, outcomes paid something (paid_jpy > 0).
--   paid_jpy: Amount payable for the month's outcomes of this code (JPY).
--   removed_by_max_count: Outcomes removed because max_count outcomes of the code had already been admitted.
--   removed_by_max_count_jpy: Their prices (JPY).
--   removed_by_cap_jpy: What the payment cap removed from outcomes within max_count (JPY).
--   contract_paid_to_date_jpy: Paid by the contract, all codes, for outcomes achieved up to the end of this month (JPY).
--   payment_cap_jpy: The contract's payment cap (JPY).
--   cap_remaining_jpy: payment_cap_jpy less contract_paid_to_date_jpy (JPY).
WITH months AS (
  SELECT contract_id, outcome_code, any_value(kind) AS kind, period,
         count(*)::INTEGER AS achieved,
         count(*) FILTER (WHERE paid_jpy > 0)::INTEGER AS paid_count,
         sum(paid_jpy)::BIGINT AS paid_jpy,
         count(*) FILTER (WHERE code_order > max_count)::INTEGER AS removed_by_max_count,
         sum(removed_by_max_count_jpy)::BIGINT AS removed_by_max_count_jpy,
         sum(removed_by_cap_jpy)::BIGINT AS removed_by_cap_jpy,
         any_value(payment_cap_jpy) AS payment_cap_jpy
  FROM marts.sib_outcome_audit
  GROUP BY contract_id, outcome_code, period
),
to_date AS (
  SELECT contract_id, period, max(cumulative_paid_jpy) AS contract_paid_to_date_jpy
  FROM marts.sib_outcome_audit
  GROUP BY contract_id, period
)
SELECT m.contract_id, m.outcome_code, m.kind, m.period, m.achieved, m.paid_count, m.paid_jpy,
       m.removed_by_max_count, m.removed_by_max_count_jpy, m.removed_by_cap_jpy,
       t.contract_paid_to_date_jpy, m.payment_cap_jpy,
       (m.payment_cap_jpy - t.contract_paid_to_date_jpy)::BIGINT AS cap_remaining_jpy
FROM months m
JOIN to_date t USING (contract_id, period)
ORDER BY m.contract_id, m.period, m.outcome_code
