-- Collections against obligations, month by month: cumulative sums over the agreements signed by
-- each month (core.cib_agreement_months), up to the as-of month.
SELECT strftime(month, '%Y-%m') AS month,
       count(*) AS agreements,
       sum(cumulative_obligation_jpy) AS obligation_jpy,
       sum(cumulative_paid_jpy) AS collected_jpy
FROM core.cib_agreement_months
WHERE month <= date_trunc('month', getvariable('as_of'))
GROUP BY month
ORDER BY month
