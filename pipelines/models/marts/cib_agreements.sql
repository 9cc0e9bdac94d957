-- description: One row per Career Impact Bond agreement signed by the as-of date, as of that date: its status (that of its row for the as-of month in core.cib_agreement_months), what has fallen due, been paid, forgiven and is in arrears, the months counted toward max_payments, deferred and unreported, and what could still fall due. Definitions in docs/metrics/cib.md.
-- columns:
--   agreement_id: Agreement identifier.
--   participant_id: Pseudonymous participant id.
--   track: Track of the participant's first enrolment (core.participants).
--   signed_on: Date signed.
--   completed_on: Completion date of the participant's first enrolment, if completed by the as-of date.
--   first_repayment_month: First month of the payment window (its first day), empty if not completed.
--   window_end_month: Last month of the payment window (its first day), empty if not completed.
--   status: Status as of the as-of month: training, grace, repaying, deferred, unreported (open), or completed_cap, completed_payments, expired, withdrawn (closed).
--   is_open: True for the open statuses (training, grace, repaying, deferred, unreported).
--   closed_month: The month the agreement closed (first month with a closed status), empty while open.
--   funded_amount_jpy: Scholarship amount funded (JPY).
--   payment_cap_jpy: Most that can ever fall due (JPY).
--   max_payments: Counted months after which the agreement completes.
--   months_counted: Months counted toward max_payments so far.
--   months_deferred: Window months with income below the threshold.
--   months_unreported: Window months, wholly elapsed by the as-of date, with no income report.
--   obligation_jpy: Cumulative obligation to date (JPY).
--   paid_jpy: Cumulative net repayments received to date (JPY).
--   forgiven_jpy: Arrears forgiven when the window ended (JPY).
--   arrears_jpy: obligation_jpy − paid_jpy − forgiven_jpy (JPY); negative for a credit (more paid than fell due).
--   remaining_cap_jpy: What could still fall due: payment_cap_jpy − obligation_jpy while open, 0 once closed (JPY).
--   recovery_rate: paid_jpy / funded_amount_jpy, to 6 decimals; empty when nothing was funded.
WITH summary AS (
  SELECT agreement_id,
         arg_max(status, month) AS status,
         min(month) FILTER (WHERE status IN ('completed_cap', 'completed_payments', 'expired', 'withdrawn')) AS closed_month,
         max(payments_counted) AS months_counted,
         count(*) FILTER (WHERE status = 'deferred') AS months_deferred,
         count(*) FILTER (WHERE status = 'unreported' AND month_complete) AS months_unreported,
         arg_max(cumulative_obligation_jpy, month) AS obligation_jpy,
         arg_max(cumulative_paid_jpy, month) AS paid_jpy,
         sum(forgiven_jpy) AS forgiven_jpy,
         arg_max(arrears_jpy, month) AS arrears_jpy
  FROM core.cib_agreement_months
  GROUP BY agreement_id
),
terms AS (
  SELECT DISTINCT agreement_id, participant_id, signed_on, funded_amount_jpy, payment_cap_jpy, max_payments, first_repayment_month, window_end_month
  FROM core.cib_agreement_months
)
SELECT t.agreement_id, t.participant_id, p.track, t.signed_on, p.completed_on, t.first_repayment_month, t.window_end_month,
       s.status,
       s.status IN ('training', 'grace', 'repaying', 'deferred', 'unreported') AS is_open,
       s.closed_month,
       t.funded_amount_jpy, t.payment_cap_jpy, t.max_payments,
       s.months_counted::INTEGER AS months_counted,
       s.months_deferred::INTEGER AS months_deferred,
       s.months_unreported::INTEGER AS months_unreported,
       s.obligation_jpy, s.paid_jpy, s.forgiven_jpy::BIGINT AS forgiven_jpy, s.arrears_jpy,
       CASE WHEN s.status IN ('training', 'grace', 'repaying', 'deferred', 'unreported') THEN t.payment_cap_jpy - s.obligation_jpy ELSE 0 END AS remaining_cap_jpy,
       CASE WHEN t.funded_amount_jpy > 0 THEN round(s.paid_jpy / t.funded_amount_jpy, 6) END AS recovery_rate
FROM terms t
JOIN summary s USING (agreement_id)
LEFT JOIN core.participants p USING (participant_id)
ORDER BY t.agreement_id
