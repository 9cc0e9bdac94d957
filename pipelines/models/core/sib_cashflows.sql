-- description: SIB cash flows dated by the as-of date (staging.sib_cashflows), signed from the investor's point of view (capital out negative, returns positive).
-- columns:
--   contract_id: Contract.
--   date: Value date.
--   party: investor, municipality or provider.
--   amount_jpy: Amount (JPY), signed from the investor's point of view.
SELECT contract_id, date, party, amount_jpy
FROM staging.sib_cashflows
ORDER BY contract_id, date, party
