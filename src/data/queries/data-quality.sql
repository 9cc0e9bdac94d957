-- Loads and rejected rows per entity, column and kind of problem (marts.data_quality): counts only.
SELECT entity, files_loaded, rows_read, rows_loaded, rows_rejected, column_name, problem, problems
FROM marts.data_quality
ORDER BY entity, column_name NULLS FIRST, problem NULLS FIRST
