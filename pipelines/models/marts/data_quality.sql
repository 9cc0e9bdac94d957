-- description: One row per entity, column and kind of problem of rejected rows across all loads, with load totals, so the quality of each source is visible. Unreported months and other metric-level checks are added by the metric marts.
-- columns:
--   entity: Contract entity.
--   files_loaded: Files loaded for this entity.
--   rows_read: Data rows read from those files.
--   rows_loaded: Rows written to the warehouse.
--   rows_rejected: Rows rejected (a row with several problems counts once).
--   column_name: Column at fault, empty on the entity's total row.
--   problem: Kind of problem (missing, invalid, rule, reference, duplicate, unreadable), empty on the entity's total row.
--   problems: Rejected rows with this column and kind of problem.
WITH totals AS (
  SELECT entity, count(*) AS files_loaded, sum(rows_read) AS rows_read, sum(rows_loaded) AS rows_loaded, sum(rows_rejected) AS rows_rejected
  FROM meta.loads GROUP BY entity
), reasons AS (
  SELECT l.entity, r.column_name, r.problem, count(*) AS problems
  FROM meta.rejects r JOIN meta.loads l USING (load_id)
  GROUP BY ALL
)
SELECT t.entity, t.files_loaded, t.rows_read::BIGINT AS rows_read, t.rows_loaded::BIGINT AS rows_loaded, t.rows_rejected::BIGINT AS rows_rejected,
       r.column_name, r.problem, coalesce(r.problems, 0) AS problems
FROM totals t
LEFT JOIN reasons r USING (entity)
ORDER BY t.entity, r.problems DESC NULLS FIRST, r.column_name, r.problem
