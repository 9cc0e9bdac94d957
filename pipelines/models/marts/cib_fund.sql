-- description: The Career Impact Bond fund as of the as-of date, one row: amounts over all agreements signed by then (marts.cib_agreements), the share of agreements in each status, the recovery rate (collected / funded) and the pay-forward multiplier (collected / current average training cost: how many new scholarships the repayments to date would fund). Definitions in docs/metrics/cib.md.
-- columns:
--   agreements: Agreements signed by the as-of date.
--   open_agreements: Of those, open (training, grace, repaying, deferred, unreported).
--   funded_amount_jpy: Sum of funded_amount_jpy (JPY).
--   obligation_jpy: Sum of cumulative obligations to date (JPY).
--   collected_jpy: Sum of net repayments received to date, refunds deducted (JPY).
--   arrears_jpy: Sum of positive arrears: fallen due, not paid, not forgiven (JPY).
--   credit_jpy: Sum of negative arrears as a positive amount: paid beyond what fell due (JPY).
--   forgiven_jpy: Sum forgiven at the end of payment windows (JPY).
--   agreements_in_arrears: Agreements with arrears_jpy > 0.
--   share_training: Share of agreements whose status is training (0 to 1, 6 decimals).
--   share_grace: Share in grace.
--   share_repaying: Share repaying (the as-of month was a counted month).
--   share_deferred: Share deferred (income below the threshold in the as-of month).
--   share_unreported: Share unreported (no income report for the as-of month, which is also the case when the as-of date is before the month's last day).
--   share_completed_cap: Share completed by reaching the cap (including prepayment).
--   share_completed_payments: Share completed after max_payments counted months.
--   share_expired: Share expired at the end of the window.
--   share_withdrawn: Share ended by withdrawal before completion.
--   unreported_month_share: Data quality: window months with no income report / window months assessed (deferred + unreported + counted months), over months wholly elapsed by the as-of date (6 decimals).
--   recovery_rate: collected_jpy / funded_amount_jpy (6 decimals); empty when nothing was funded.
--   average_training_cost_jpy: Current average training cost: mean training_cost_jpy of enrolments in cohorts that started in the 12 months up to the as-of date (all enrolments if none did), rounded to the yen.
--   pay_forward_multiplier: collected_jpy / average_training_cost_jpy (4 decimals): how many new scholarships the repayments to date fund.
WITH a AS (
  SELECT * FROM marts.cib_agreements
),
totals AS (
  SELECT count(*) AS agreements,
         count(*) FILTER (WHERE is_open) AS open_agreements,
         coalesce(sum(funded_amount_jpy), 0) AS funded_amount_jpy,
         coalesce(sum(obligation_jpy), 0) AS obligation_jpy,
         coalesce(sum(paid_jpy), 0) AS collected_jpy,
         coalesce(sum(greatest(arrears_jpy, 0)), 0) AS arrears_jpy,
         coalesce(sum(greatest(-arrears_jpy, 0)), 0) AS credit_jpy,
         coalesce(sum(forgiven_jpy), 0) AS forgiven_jpy,
         count(*) FILTER (WHERE arrears_jpy > 0) AS agreements_in_arrears,
         sum(months_counted) AS months_counted,
         sum(months_deferred) AS months_deferred,
         sum(months_unreported) AS months_unreported
  FROM a
),
shares AS (
  SELECT round(count(*) FILTER (WHERE status = 'training') / count(*), 6) AS share_training,
         round(count(*) FILTER (WHERE status = 'grace') / count(*), 6) AS share_grace,
         round(count(*) FILTER (WHERE status = 'repaying') / count(*), 6) AS share_repaying,
         round(count(*) FILTER (WHERE status = 'deferred') / count(*), 6) AS share_deferred,
         round(count(*) FILTER (WHERE status = 'unreported') / count(*), 6) AS share_unreported,
         round(count(*) FILTER (WHERE status = 'completed_cap') / count(*), 6) AS share_completed_cap,
         round(count(*) FILTER (WHERE status = 'completed_payments') / count(*), 6) AS share_completed_payments,
         round(count(*) FILTER (WHERE status = 'expired') / count(*), 6) AS share_expired,
         round(count(*) FILTER (WHERE status = 'withdrawn') / count(*), 6) AS share_withdrawn
  FROM a
),
recent_cost AS (
  SELECT avg(training_cost_jpy) FILTER (WHERE c.start_date > getvariable('as_of') - INTERVAL 12 MONTH) AS recent,
         avg(training_cost_jpy) AS overall
  FROM core.enrollments e
  JOIN core.cohorts c USING (cohort_id)
),
cost AS (
  SELECT round(coalesce(recent, overall))::BIGINT AS average_training_cost_jpy FROM recent_cost
)
SELECT t.agreements::INTEGER AS agreements, t.open_agreements::INTEGER AS open_agreements,
       t.funded_amount_jpy::BIGINT AS funded_amount_jpy, t.obligation_jpy::BIGINT AS obligation_jpy, t.collected_jpy::BIGINT AS collected_jpy,
       t.arrears_jpy::BIGINT AS arrears_jpy, t.credit_jpy::BIGINT AS credit_jpy, t.forgiven_jpy::BIGINT AS forgiven_jpy,
       t.agreements_in_arrears::INTEGER AS agreements_in_arrears,
       s.*,
       CASE WHEN t.months_counted + t.months_deferred + t.months_unreported > 0
            THEN round(t.months_unreported / (t.months_counted + t.months_deferred + t.months_unreported), 6) END AS unreported_month_share,
       CASE WHEN t.funded_amount_jpy > 0 THEN round(t.collected_jpy / t.funded_amount_jpy, 6) END AS recovery_rate,
       c.average_training_cost_jpy,
       CASE WHEN c.average_training_cost_jpy > 0 THEN round(t.collected_jpy / c.average_training_cost_jpy, 4) END AS pay_forward_multiplier
FROM totals t, shares s, cost c
ORDER BY agreements
