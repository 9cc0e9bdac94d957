-- description: One row per Career Impact Bond agreement and calendar month, from the month signed to the month of the as-of date: the agreement's status that month, what fell due and what was paid. Months are judged in order and the first rule that applies wins: a month on or after a closing month keeps the closing status; withdrawal (participant's first enrolment withdrawn, never completed) ends it with nothing owed; the month after the payment_window_months-month window (which starts grace_months + 1 months after the month of completed_on) expires it, forgiving what is unpaid at the end of that month; cumulative paid at or above payment_cap_jpy closes it as completed_cap and the remaining cap falls due that month (prepayment); before the month of completed_on it is training; before the first repayment month grace; in the window, no income report is unreported, income below income_threshold_jpy deferred, else the month owes floor(rate × income) cut so the cumulative obligation never exceeds the cap and counts toward max_payments (the month reaching the cap is completed_cap, the one reaching max_payments completed_payments). The rate is read to millionths and the floor taken in integer arithmetic. Reference implementation and worked examples in pipelines/metrics/cib and docs/metrics/cib.md.
-- columns:
--   agreement_id: Agreement identifier.
--   participant_id: Pseudonymous participant id.
--   signed_on: Date signed (staging.cib_agreements; the agreement's terms are repeated on each row so the marts need not read staging).
--   funded_amount_jpy: Scholarship amount funded (JPY).
--   income_threshold_jpy: Gross monthly income at or above which a window month owes a share (JPY).
--   income_share_rate: Share of income owed in a counted month, as stored (read to millionths).
--   payment_cap_jpy: Most that can ever fall due (JPY).
--   max_payments: Counted months after which the agreement completes.
--   payment_window_months: Calendar months of the payment window.
--   grace_months: Calendar months after the month of completion before repayment months begin.
--   first_repayment_month: First month of the window (grace_months + 1 months after the month of completed_on), empty if the participant has not completed by the as-of date.
--   window_end_month: Last month of the window (first_repayment_month + payment_window_months − 1), empty if not completed.
--   month: Calendar month (its first day).
--   month_complete: True when the month had wholly elapsed by the as-of date (income for a later month is not yet in staging.income, so such a month in the window shows as unreported).
--   status: training, grace, repaying, deferred, unreported, completed_cap, completed_payments, expired or withdrawn (see the description); a completed_*, expired or withdrawn status first appears in the closing month and stays.
--   gross_income_jpy: Reported gross income of the participant for the month (core.income_months, most authoritative source, verified or not), empty if none was reported.
--   obligation_jpy: What fell due for this month (JPY): floor(rate × income) capped, in a counted month; the remaining cap in a month closed by prepayment; 0 otherwise.
--   paid_jpy: Repayments received in this month (by paid_on, net of refunds and reversals, JPY); payments dated before the month signed count in the month signed.
--   cumulative_obligation_jpy: Sum of obligation_jpy up to and including this month (never above payment_cap_jpy).
--   cumulative_paid_jpy: Sum of paid_jpy up to and including this month.
--   forgiven_jpy: Arrears forgiven this month: in the first month after the window (status expired), cumulative obligation minus cumulative paid at its end, if positive; else 0.
--   arrears_jpy: cumulative_obligation_jpy − cumulative_paid_jpy − forgiven so far (JPY); negative when more was paid than fell due (a credit).
--   payments_counted: Months counted toward max_payments up to and including this month.
WITH terms AS (
  SELECT a.agreement_id, a.participant_id, a.signed_on, a.funded_amount_jpy, a.income_threshold_jpy, a.income_share_rate,
         a.payment_cap_jpy, a.max_payments, a.payment_window_months, a.grace_months,
         a.payment_cap_jpy AS cap, a.income_threshold_jpy AS threshold,
         round(a.income_share_rate * 1000000)::BIGINT AS rate_ppm, a.max_payments,
         year(a.signed_on) * 12 + month(a.signed_on) - 1 AS signed_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 AS completed_m,
         CASE WHEN p.completed_on IS NULL THEN year(p.withdrawn_on) * 12 + month(p.withdrawn_on) - 1 END AS withdrawn_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 + a.grace_months + 1 AS first_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 + a.grace_months + a.payment_window_months AS last_m
  FROM staging.cib_agreements a
  LEFT JOIN core.participants p USING (participant_id)
),
grid AS (
  SELECT t.*, unnest(range(t.signed_m, year(getvariable('as_of')) * 12 + month(getvariable('as_of')))) AS m
  FROM terms t
),
paid AS (
  SELECT r.agreement_id, greatest(year(r.paid_on) * 12 + month(r.paid_on) - 1, t.signed_m) AS m, sum(r.amount_jpy) AS paid
  FROM staging.repayments r
  JOIN terms t USING (agreement_id)
  GROUP BY ALL
),
months AS (
  SELECT g.*, i.gross_income_jpy AS income, coalesce(pd.paid, 0)::BIGINT AS paid,
         sum(coalesce(pd.paid, 0)) OVER (PARTITION BY g.agreement_id ORDER BY g.m ROWS UNBOUNDED PRECEDING) AS cum_paid,
         coalesce(g.m BETWEEN g.first_m AND g.last_m AND i.gross_income_jpy >= g.threshold, false) AS qualifying
  FROM grid g
  LEFT JOIN core.income_months i ON i.participant_id = g.participant_id AND i.period = make_date((g.m // 12)::INTEGER, (g.m % 12 + 1)::INTEGER, 1)
  LEFT JOIN paid pd ON pd.agreement_id = g.agreement_id AND pd.m = g.m
),
raised AS (
  -- R: cumulative uncapped floor(rate × income) over qualifying months; k: their number so far
  SELECT *,
         sum(CASE WHEN qualifying THEN (rate_ppm::HUGEINT * income) // 1000000 ELSE 0 END)
           OVER (PARTITION BY agreement_id ORDER BY m ROWS UNBOUNDED PRECEDING) AS r,
         sum(CASE WHEN qualifying THEN 1 ELSE 0 END) OVER (PARTITION BY agreement_id ORDER BY m ROWS UNBOUNDED PRECEDING) AS k
  FROM months
),
closing AS (
  SELECT agreement_id,
         min(m) FILTER (WHERE cum_paid >= cap AND (withdrawn_m IS NULL OR m < withdrawn_m)) AS prepaid_m,
         min(m) FILTER (WHERE qualifying AND (r >= cap OR k >= max_payments)) AS schedule_m,
         arg_min(CASE WHEN r >= cap THEN 'completed_cap' ELSE 'completed_payments' END, m) FILTER (WHERE qualifying AND (r >= cap OR k >= max_payments)) AS schedule_status
  FROM raised
  GROUP BY agreement_id
),
closed AS (
  SELECT r.*, c.schedule_status,
         least(r.withdrawn_m, c.prepaid_m, c.schedule_m, r.last_m + 1) AS close_m,
         CASE WHEN least(r.withdrawn_m, c.prepaid_m, c.schedule_m, r.last_m + 1) = r.withdrawn_m THEN 'withdrawn'
              WHEN least(r.withdrawn_m, c.prepaid_m, c.schedule_m, r.last_m + 1) = r.last_m + 1 THEN 'expired'
              WHEN least(r.withdrawn_m, c.prepaid_m, c.schedule_m, r.last_m + 1) = c.prepaid_m THEN 'prepaid'
              WHEN least(r.withdrawn_m, c.prepaid_m, c.schedule_m, r.last_m + 1) = c.schedule_m THEN 'schedule' END AS closed_by
  FROM raised r
  JOIN closing c USING (agreement_id)
),
owed AS (
  SELECT *,
         qualifying AND (close_m IS NULL OR m < close_m OR (m = close_m AND closed_by = 'schedule')) AS counted,
         CASE WHEN qualifying AND (close_m IS NULL OR m < close_m OR (m = close_m AND closed_by = 'schedule'))
              THEN least(r, cap) - least(r - (rate_ppm::HUGEINT * income) // 1000000, cap) ELSE 0 END AS scheduled
  FROM closed
),
settled AS (
  SELECT *,
         CASE WHEN m = close_m AND closed_by = 'prepaid'
              THEN cap - coalesce(sum(scheduled) OVER (PARTITION BY agreement_id ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
              ELSE scheduled END AS obligation
  FROM owed
),
running AS (
  SELECT *,
         sum(obligation) OVER w AS cum_obligation,
         sum(CASE WHEN counted THEN 1 ELSE 0 END) OVER w AS payments_counted
  FROM settled
  WINDOW w AS (PARTITION BY agreement_id ORDER BY m ROWS UNBOUNDED PRECEDING)
),
forgiving AS (
  SELECT *,
         CASE WHEN m = close_m AND closed_by = 'expired' THEN greatest(cum_obligation - cum_paid, 0) ELSE 0 END AS forgiven
  FROM running
)
SELECT agreement_id, participant_id, signed_on, funded_amount_jpy, income_threshold_jpy, income_share_rate,
       payment_cap_jpy, max_payments, payment_window_months, grace_months,
       make_date((first_m // 12)::INTEGER, (first_m % 12 + 1)::INTEGER, 1) AS first_repayment_month,
       make_date((last_m // 12)::INTEGER, (last_m % 12 + 1)::INTEGER, 1) AS window_end_month,
       make_date((m // 12)::INTEGER, (m % 12 + 1)::INTEGER, 1) AS month,
       last_day(make_date((m // 12)::INTEGER, (m % 12 + 1)::INTEGER, 1)) <= getvariable('as_of') AS month_complete,
       CASE WHEN m >= close_m THEN CASE closed_by WHEN 'withdrawn' THEN 'withdrawn' WHEN 'prepaid' THEN 'completed_cap'
                                                  WHEN 'schedule' THEN schedule_status ELSE 'expired' END
            WHEN completed_m IS NULL OR m < completed_m THEN 'training'
            WHEN m < first_m THEN 'grace'
            WHEN income IS NULL THEN 'unreported'
            WHEN income < threshold THEN 'deferred'
            ELSE 'repaying' END AS status,
       income AS gross_income_jpy,
       obligation::BIGINT AS obligation_jpy,
       paid AS paid_jpy,
       cum_obligation::BIGINT AS cumulative_obligation_jpy,
       cum_paid::BIGINT AS cumulative_paid_jpy,
       forgiven::BIGINT AS forgiven_jpy,
       (cum_obligation - cum_paid - sum(forgiven) OVER (PARTITION BY agreement_id ORDER BY m ROWS UNBOUNDED PRECEDING))::BIGINT AS arrears_jpy,
       payments_counted::INTEGER AS payments_counted
FROM forgiving
ORDER BY agreement_id, month
