-- description: One row per Career Impact Bond agreement signed by the as-of date (raw.cib_agreements).
-- columns:
--   agreement_id: Agreement identifier.
--   participant_id: Pseudonymous participant id.
--   signed_on: Date signed.
--   funded_amount_jpy: Scholarship amount funded (JPY).
--   income_threshold_jpy: Gross monthly income at or above which a month is a repayment month (JPY).
--   income_share_rate: Share of gross monthly income owed in a repayment month (0.1 = 10%).
--   payment_cap_jpy: Most that can ever be owed (JPY).
--   max_payments: Monthly repayments after which the agreement completes.
--   payment_window_months: Calendar months, from the first repayment month, in which repayments can fall due.
--   grace_months: Calendar months after the month of completion before repayment months begin.
SELECT agreement_id, participant_id, signed_on, funded_amount_jpy, income_threshold_jpy, income_share_rate,
       payment_cap_jpy, max_payments, payment_window_months, grace_months
FROM raw.cib_agreements
WHERE signed_on <= getvariable('as_of')
ORDER BY agreement_id
