-- description: One row per SIB outcome contract signed with a municipality (raw.sib_contracts).
-- columns:
--   contract_id: Contract identifier.
--   municipality_code: Local government code of the paying municipality.
--   name: Contract name.
--   name_en: Contract name in English as delivered; empty when the source gives none.
--   start_date: First day outcomes can be achieved.
--   end_date: Last day outcomes can be achieved.
--   payment_cap_jpy: Most the municipality pays over the contract's life (JPY).
SELECT contract_id, municipality_code, name, name_en, start_date, end_date, payment_cap_jpy
FROM raw.sib_contracts
ORDER BY contract_id
