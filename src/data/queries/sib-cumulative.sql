-- Each contract's payments to date, month by month, against its cap (marts.sib_outcome_audit), with
-- the people paid so far. `latest` marks each contract's last month: the contracts' people paid to date
-- then add up to the overview's people paid, which the disclosure check subtracts along.
WITH distinct_months AS (
  SELECT DISTINCT contract_id, period, payment_cap_jpy FROM marts.sib_outcome_audit
),
months AS (
  SELECT *, period = max(period) OVER (PARTITION BY contract_id) AS latest FROM distinct_months
)
SELECT m.contract_id, strftime(m.period, '%Y-%m') AS month, m.latest, m.payment_cap_jpy,
       count(DISTINCT a.participant_id) FILTER (WHERE a.paid_jpy > 0) AS people_paid,
       coalesce(sum(a.paid_jpy), 0) AS paid_to_date_jpy
FROM months m
JOIN marts.sib_outcome_audit a ON a.contract_id = m.contract_id AND a.period <= m.period
GROUP BY ALL
ORDER BY m.contract_id, month
