// What every report says about the data it was made from: the latest build and the loads behind it.

export const warehouseSql = {
  latestBuild: `
    SELECT build_id::DOUBLE AS build_id, strftime(as_of, '%Y-%m-%d') AS as_of, snapshot_sha256, array_to_string(models, ',') AS models
    FROM meta.builds ORDER BY build_id DESC LIMIT 1`,
  /** Every load, in load order (the order meta.builds.snapshot_sha256 hashes). */
  loads: `
    SELECT load_id::DOUBLE AS load_id, entity, sha256, rows_loaded::DOUBLE AS rows_loaded,
           strftime(finished_at, '%Y-%m-%d %H:%M') AS loaded_at
    FROM meta.loads ORDER BY load_id`,
} as const;
