-- description: The SIB rate cards (staging.sib_outcomes): one row per outcome a contract pays for.
-- columns:
--   contract_id: Contract.
--   outcome_code: Outcome code within the contract.
--   kind: job_start, sustained_employment or income_at_least.
--   parameter: Days (job_start, sustained_employment) or yen (income_at_least).
--   price_jpy: Payment per achieved outcome (JPY).
--   max_count: Most outcomes of this code paid over the contract's life; empty for no limit.
SELECT contract_id, outcome_code, kind, parameter, price_jpy, max_count
FROM staging.sib_outcomes
ORDER BY contract_id, outcome_code
