-- The Career Impact Bond fund as of the as-of date (marts.cib_fund).
SELECT agreements, open_agreements, agreements_in_arrears, funded_amount_jpy, obligation_jpy, collected_jpy,
       arrears_jpy, forgiven_jpy, recovery_rate, average_training_cost_jpy, pay_forward_multiplier, unreported_month_share
FROM marts.cib_fund
