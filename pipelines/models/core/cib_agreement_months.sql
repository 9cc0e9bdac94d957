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

-- One sort, on integer keys: the running sums every rule needs (paid, uncapped share R, qualifying
-- months k) over narrow rows; then one row per agreement finds its closing month and what was reached
-- by then, and every month's figures follow without further windows (before closing, the cumulative
-- obligation is least(R, cap), each counted month owing the difference).
WITH terms AS (
  SELECT row_number() OVER (ORDER BY a.agreement_id) AS a_no,
         a.agreement_id, a.participant_id, a.signed_on, a.funded_amount_jpy, a.income_threshold_jpy, a.income_share_rate,
         a.payment_cap_jpy, a.max_payments, a.payment_window_months, a.grace_months,
         a.payment_cap_jpy AS cap, a.income_threshold_jpy AS threshold,
         round(a.income_share_rate * 1000000)::BIGINT AS rate_ppm,
         year(a.signed_on) * 12 + month(a.signed_on) - 1 AS signed_m,
         year(getvariable('as_of')) * 12 + month(getvariable('as_of')) - 1 AS as_of_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 AS completed_m,
         CASE WHEN p.completed_on IS NULL THEN year(p.withdrawn_on) * 12 + month(p.withdrawn_on) - 1 END AS withdrawn_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 + a.grace_months + 1 AS first_m,
         year(p.completed_on) * 12 + month(p.completed_on) - 1 + a.grace_months + a.payment_window_months AS last_m
  FROM staging.cib_agreements a
  LEFT JOIN core.participants p USING (participant_id)
),
grid AS (
  SELECT a_no, threshold, rate_ppm, first_m, last_m, unnest(range(signed_m, as_of_m + 1)) AS m
  FROM terms
),
income AS (
  SELECT t.a_no, year(i.period) * 12 + month(i.period) - 1 AS m, i.gross_income_jpy AS income
  FROM core.income_months i
  JOIN terms t USING (participant_id)
),
paid AS (
  SELECT t.a_no, greatest(year(r.paid_on) * 12 + month(r.paid_on) - 1, t.signed_m) AS m, sum(r.amount_jpy) AS paid
  FROM staging.repayments r
  JOIN terms t USING (agreement_id)
  GROUP BY ALL
),
months AS (
  SELECT g.a_no, g.m, i.income, coalesce(pd.paid, 0)::BIGINT AS paid,
         coalesce(g.m BETWEEN g.first_m AND g.last_m AND i.income >= g.threshold, false) AS qualifying,
         CASE WHEN qualifying THEN (g.rate_ppm::HUGEINT * i.income) // 1000000 ELSE 0 END AS share
  FROM grid g
  LEFT JOIN income i USING (a_no, m)
  LEFT JOIN paid pd USING (a_no, m)
),
raised AS (
  -- r: cumulative uncapped floor(rate × income) over qualifying months; k: their number so far
  SELECT *,
         sum(paid) OVER w AS cum_paid,
         sum(share) OVER w AS r,
         sum(qualifying::INTEGER) OVER w AS k
  FROM months
  WINDOW w AS (PARTITION BY a_no ORDER BY m ROWS UNBOUNDED PRECEDING)
),
candidates AS (
  -- each way to close, its month, and R and k just before (or, closing on schedule, through) that month
  SELECT r.a_no,
         min(r.m) FILTER (WHERE r.cum_paid >= t.cap AND (t.withdrawn_m IS NULL OR r.m < t.withdrawn_m)) AS prepaid_m,
         arg_min(r.k - r.qualifying::INTEGER, r.m) FILTER (WHERE r.cum_paid >= t.cap AND (t.withdrawn_m IS NULL OR r.m < t.withdrawn_m)) AS prepaid_k,
         min(r.m) FILTER (WHERE r.qualifying AND (r.r >= t.cap OR r.k >= t.max_payments)) AS schedule_m,
         arg_min(CASE WHEN r.r >= t.cap THEN 'completed_cap' ELSE 'completed_payments' END, r.m) FILTER (WHERE r.qualifying AND (r.r >= t.cap OR r.k >= t.max_payments)) AS schedule_status,
         arg_min(r.r, r.m) FILTER (WHERE r.qualifying AND (r.r >= t.cap OR r.k >= t.max_payments)) AS schedule_r,
         arg_min(r.k, r.m) FILTER (WHERE r.qualifying AND (r.r >= t.cap OR r.k >= t.max_payments)) AS schedule_k,
         coalesce(arg_max(r.r, r.m) FILTER (WHERE r.m < t.withdrawn_m), 0) AS withdrawn_r,
         coalesce(arg_max(r.k, r.m) FILTER (WHERE r.m < t.withdrawn_m), 0) AS withdrawn_k,
         coalesce(arg_max(r.r, r.m) FILTER (WHERE r.m <= t.last_m), 0) AS expired_r,
         coalesce(arg_max(r.k, r.m) FILTER (WHERE r.m <= t.last_m), 0) AS expired_k,
         arg_max(r.cum_paid, r.m) FILTER (WHERE r.m = t.last_m + 1) AS expired_cum_paid
  FROM raised r
  JOIN terms t USING (a_no)
  GROUP BY r.a_no
),
closing AS (
  SELECT t.*, c.schedule_status, c.expired_cum_paid,
         least(t.withdrawn_m, c.prepaid_m, c.schedule_m, t.last_m + 1) AS close_m,
         CASE WHEN close_m = t.withdrawn_m THEN 'withdrawn'
              WHEN close_m = t.last_m + 1 THEN 'expired'
              WHEN close_m = c.prepaid_m THEN 'prepaid'
              WHEN close_m = c.schedule_m THEN 'schedule' END AS closed_by,
         -- R and k as they stay from the closing month on (the cap, for a prepayment)
         CASE closed_by WHEN 'withdrawn' THEN c.withdrawn_r WHEN 'expired' THEN c.expired_r
                        WHEN 'prepaid' THEN t.cap WHEN 'schedule' THEN c.schedule_r END AS closed_r,
         CASE closed_by WHEN 'withdrawn' THEN c.withdrawn_k WHEN 'expired' THEN c.expired_k
                        WHEN 'prepaid' THEN c.prepaid_k WHEN 'schedule' THEN c.schedule_k END AS closed_k
  FROM terms t
  JOIN candidates c USING (a_no)
),
figured AS (
  SELECT c.*, r.m, r.income, r.paid, r.cum_paid,
         r.m < c.close_m OR c.close_m IS NULL AS before_close,
         CASE WHEN before_close OR (r.m = c.close_m AND c.closed_by = 'schedule')
              THEN least(r.r, c.cap) - least(r.r - r.share, c.cap)
              WHEN r.m = c.close_m AND c.closed_by = 'prepaid' THEN c.cap - least(r.r - r.share, c.cap)
              ELSE 0 END AS obligation,
         CASE WHEN before_close THEN least(r.r, c.cap) ELSE least(c.closed_r, c.cap) END AS cum_obligation,
         CASE WHEN before_close THEN r.k ELSE c.closed_k END AS payments_counted,
         CASE WHEN c.closed_by = 'expired' THEN greatest(least(c.closed_r, c.cap) - c.expired_cum_paid, 0) ELSE 0 END AS forgiven_at_close
  FROM raised r
  JOIN closing c USING (a_no)
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
       (CASE WHEN m = close_m THEN forgiven_at_close ELSE 0 END)::BIGINT AS forgiven_jpy,
       (cum_obligation - cum_paid - CASE WHEN m >= close_m THEN forgiven_at_close ELSE 0 END)::BIGINT AS arrears_jpy,
       payments_counted::INTEGER AS payments_counted
FROM figured
ORDER BY a_no, m
