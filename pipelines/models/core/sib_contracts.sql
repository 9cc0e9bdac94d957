-- description: One row per SIB outcome contract (staging.sib_contracts), for the SIB marts.
-- columns:
--   contract_id: Contract identifier.
--   municipality_code: Local government code of the paying municipality.
--   name: Contract name.
--   name_en: Contract name in English; name where the source gives none.
--   start_date: First day outcomes can be achieved.
--   end_date: Last day outcomes can be achieved (inclusive).
--   payment_cap_jpy: Most the municipality pays over the contract's life (JPY).
SELECT contract_id, municipality_code, name, coalesce(name_en, name) AS name_en, start_date, end_date, payment_cap_jpy
FROM staging.sib_contracts
ORDER BY contract_id
