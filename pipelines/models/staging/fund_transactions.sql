-- description: Scholarship fund movements dated by the as-of date (raw.fund_transactions).
-- columns:
--   txn_id: Transaction identifier.
--   date: Value date.
--   type: donation, sponsorship, disbursement, repayment_inflow or fee.
--   amount_jpy: Amount (JPY), positive in, negative out.
--   counterparty: Organisation on the other side, if given.
SELECT txn_id, date, type, amount_jpy, counterparty
FROM raw.fund_transactions
WHERE date <= getvariable('as_of')
ORDER BY txn_id
