-- description: The SIB verification annex: one row per referred participant, contract and outcome achieved within the contract's window, in payment order, with what was paid and what max_count and the payment cap removed. Each outcome is achieved at most once, on the participant's earliest qualifying date (counting only employment and income from the completion of the first enrolment), and counts only when that date is on or after referred_on and the contract's start_date, on or before its end_date and the as-of date; an outcome first achieved outside that window is not achieved again later. Outcomes are paid in order of achieved_on, then participant_id, then outcome_code: an outcome beyond its code's max_count is removed whole, any other is paid its price or what remains of payment_cap_jpy if less. Definitions and worked examples are in docs/metrics/sib.md.
-- columns:
--   contract_id: Contract.
--   payment_order: 1, 2, … in payment order within the contract (achieved_on, participant_id, outcome_code).
--   participant_id: Pseudonymous participant id of the referred participant who achieved the outcome.
--   referred_on: Date of the participant's referral to the contract.
--   completed_on: Completion date of the participant's first enrolment.
--   outcome_code: Outcome code on the contract's rate card.
--   kind: job_start, sustained_employment or income_at_least.
--   parameter: Days or yen of the outcome's definition.
--   evidence_on: The date the achievement rests on: started_on of the first job (job_start), started_on of the run of continuous employment (sustained_employment), or the income month (income_at_least).
--   achieved_on: Date the outcome was achieved: job start date; run start + parameter days; last day of the income month.
--   period: First day of the month of achieved_on (the payment period).
--   code_order: 1, 2, … among the contract's outcomes of this code in payment order; compared with max_count.
--   max_count: Most outcomes of this code paid over the contract's life; empty for no limit.
--   price_jpy: Price of the outcome on the rate card (JPY).
--   paid_jpy: Amount payable for this outcome (JPY): price, or what remains of the cap, or 0.
--   removed_by_max_count_jpy: The price, when code_order exceeds max_count; else 0.
--   removed_by_cap_jpy: Price less paid_jpy for an outcome within max_count: what the payment cap removed.
--   cumulative_paid_jpy: Paid by the contract up to and including this line (JPY); never above payment_cap_jpy.
--   payment_cap_jpy: The contract's payment cap (JPY).
WITH people AS (
  SELECT r.contract_id, r.participant_id, r.referred_on, p.completed_on,
         c.start_date, c.end_date, c.payment_cap_jpy
  FROM core.sib_referrals r
  JOIN core.sib_contracts c USING (contract_id)
  JOIN core.participants p USING (participant_id)
  WHERE p.completed_on IS NOT NULL
),
first_jobs AS (
  SELECT participant_id, min(started_on) AS started_on
  FROM core.employment_runs
  GROUP BY participant_id
),
candidates AS (
  -- job_start: the first job after completion, if it starts within parameter days of completion
  SELECT pe.*, o.outcome_code, o.kind, o.parameter, o.price_jpy, o.max_count,
         j.started_on AS evidence_on, j.started_on AS achieved_on
  FROM people pe
  JOIN core.sib_outcomes o ON o.contract_id = pe.contract_id AND o.kind = 'job_start'
  JOIN first_jobs j ON j.participant_id = pe.participant_id
  WHERE date_diff('day', pe.completed_on, j.started_on) <= o.parameter
  UNION ALL
  -- sustained_employment: the first run still going parameter days after its start
  SELECT pe.*, o.outcome_code, o.kind, o.parameter, o.price_jpy, o.max_count,
         min(ru.started_on), min(ru.started_on + o.parameter::INTEGER)
  FROM people pe
  JOIN core.sib_outcomes o ON o.contract_id = pe.contract_id AND o.kind = 'sustained_employment'
  JOIN core.employment_runs ru ON ru.participant_id = pe.participant_id
  WHERE ru.started_on + o.parameter::INTEGER <= ru.ends_on
  GROUP BY ALL
  UNION ALL
  -- income_at_least: the first verified month from the month of completion with gross income at or above parameter yen
  SELECT pe.*, o.outcome_code, o.kind, o.parameter, o.price_jpy, o.max_count,
         min(i.period), last_day(min(i.period))
  FROM people pe
  JOIN core.sib_outcomes o ON o.contract_id = pe.contract_id AND o.kind = 'income_at_least'
  JOIN core.income_months i ON i.participant_id = pe.participant_id
  WHERE i.verified AND i.period >= date_trunc('month', pe.completed_on) AND i.gross_income_jpy >= o.parameter
  GROUP BY ALL
),
achieved AS (
  SELECT *,
         row_number() OVER (PARTITION BY contract_id, outcome_code ORDER BY achieved_on, participant_id) AS code_order
  FROM candidates
  WHERE achieved_on >= referred_on AND achieved_on >= start_date
    AND achieved_on <= end_date AND achieved_on <= getvariable('as_of')
),
admitted AS (
  SELECT *,
         CASE WHEN max_count IS NULL OR code_order <= max_count THEN price_jpy ELSE 0 END AS admitted_jpy
  FROM achieved
),
running AS (
  SELECT *,
         row_number() OVER w AS payment_order,
         sum(admitted_jpy) OVER w AS admitted_to_date
  FROM admitted
  WINDOW w AS (PARTITION BY contract_id ORDER BY achieved_on, participant_id, outcome_code ROWS UNBOUNDED PRECEDING)
)
-- paid so far is the running admitted sum clamped to the cap, so each line pays the step of that clamp
SELECT contract_id, payment_order::INTEGER AS payment_order, participant_id, referred_on, completed_on,
       outcome_code, kind, parameter, evidence_on, achieved_on,
       date_trunc('month', achieved_on)::DATE AS period,
       code_order::INTEGER AS code_order, max_count, price_jpy,
       (least(admitted_to_date, payment_cap_jpy) - least(admitted_to_date - admitted_jpy, payment_cap_jpy))::BIGINT AS paid_jpy,
       (price_jpy - admitted_jpy)::BIGINT AS removed_by_max_count_jpy,
       (admitted_jpy - least(admitted_to_date, payment_cap_jpy) + least(admitted_to_date - admitted_jpy, payment_cap_jpy))::BIGINT AS removed_by_cap_jpy,
       least(admitted_to_date, payment_cap_jpy)::BIGINT AS cumulative_paid_jpy,
       payment_cap_jpy
FROM running
ORDER BY contract_id, payment_order
