-- description: One row per participant, month and source of gross income (raw.income), for months wholly elapsed by the as-of date.
-- columns:
--   participant_id: Pseudonymous participant id.
--   period: Month (its first day).
--   gross_income_jpy: Gross monthly income (JPY).
--   source: payslip, tax_certificate, employer_report or self_report.
--   verified: Whether staff verified the figure against a document.
SELECT participant_id, period, gross_income_jpy, source, verified
FROM raw.income
WHERE last_day(period) <= getvariable('as_of')
ORDER BY participant_id, period, source
