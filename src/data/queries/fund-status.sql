-- Agreements by status as of the as-of date (marts.cib_agreements), with the share of all agreements.
SELECT status, count(*) AS agreements, round(count(*) / sum(count(*)) OVER (), 4) AS share, sum(count(*)) OVER () AS total
FROM marts.cib_agreements
GROUP BY status
ORDER BY agreements DESC
