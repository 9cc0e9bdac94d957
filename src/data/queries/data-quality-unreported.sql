-- Unreported income months of CIB agreements in their payment window, month by month
-- (core.cib_agreement_months): months assessed (deferred, unreported or counted) and months with no
-- income report, over months wholly elapsed by the as-of date.
SELECT strftime(month, '%Y-%m') AS month,
       count(*) AS assessed,
       count(*) FILTER (WHERE status = 'unreported') AS unreported,
       round(count(*) FILTER (WHERE status = 'unreported') / count(*), 4) AS unreported_share
FROM core.cib_agreement_months
WHERE month_complete AND status IN ('repaying', 'deferred', 'unreported')
GROUP BY month
ORDER BY month
