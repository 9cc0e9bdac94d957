-- description: SIB cash flows dated by the as-of date (raw.sib_cashflows), signed from the investor's point of view.
-- columns:
--   contract_id: Contract.
--   date: Value date.
--   party: investor, municipality or provider.
--   amount_jpy: Amount (JPY), signed from the investor's point of view.
SELECT contract_id, date, party, amount_jpy
FROM raw.sib_cashflows
WHERE date <= getvariable('as_of')
ORDER BY contract_id, date, party
