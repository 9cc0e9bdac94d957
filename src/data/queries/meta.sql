-- The as-of date and when the warehouse was built: no people involved.
SELECT strftime(as_of, '%Y-%m-%d') AS as_of, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') AS built_at, build_id
FROM meta.builds
ORDER BY build_id DESC
LIMIT 1
