-- description: One row per CIB repayment received by the as-of date (raw.repayments); negative amounts are refunds or reversals.
-- columns:
--   payment_id: Payment identifier.
--   agreement_id: Agreement paid.
--   paid_on: Date received.
--   amount_jpy: Amount (JPY), negative for a refund or reversal.
SELECT payment_id, agreement_id, paid_on, amount_jpy
FROM raw.repayments
WHERE paid_on <= getvariable('as_of')
ORDER BY payment_id
