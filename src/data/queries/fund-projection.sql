-- The projection fan (marts.cib_projection): P10, P50 and P90 of the fund balance at each year end
-- and of the final recovery.
SELECT measure, year, p10, p50, p90, agreements_projected
FROM marts.cib_projection
ORDER BY measure, year
