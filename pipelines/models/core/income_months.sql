-- description: One row per participant and month with reported income, keeping the most authoritative source when a month was reported more than once (payslip, then employer_report, then tax_certificate, then self_report).
-- columns:
--   participant_id: Pseudonymous participant id.
--   period: Month (its first day).
--   gross_income_jpy: Gross monthly income (JPY) from the chosen source.
--   source: The chosen source.
--   verified: Whether that figure was verified by staff.
--   sources_reported: How many sources reported this month.
--   months_since_completion: Whole calendar months from the month of completion of the first enrolment to this month (negative before completion; empty if not completed).
WITH ranked AS (
  SELECT i.*,
         row_number() OVER (PARTITION BY participant_id, period
                            ORDER BY CASE source WHEN 'payslip' THEN 1 WHEN 'employer_report' THEN 2 WHEN 'tax_certificate' THEN 3 ELSE 4 END) AS n,
         count(*) OVER (PARTITION BY participant_id, period) AS sources_reported
  FROM staging.income i
)
SELECT r.participant_id, r.period, r.gross_income_jpy, r.source, r.verified, r.sources_reported,
       date_diff('month', date_trunc('month', p.completed_on), r.period) AS months_since_completion
FROM ranked r
LEFT JOIN core.participants p USING (participant_id)
WHERE r.n = 1
ORDER BY r.participant_id, r.period
