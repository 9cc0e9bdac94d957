// SQL over the warehouse's own records (meta.*) and the staff-only quarantine: what a load or a
// build writes about itself, and what `impact status` and `impact rejects` read back.
import { entityNames, getEntity, type EntityName } from '../contract/entities.ts';
import { storedColumns } from '../contract/warehouse-columns.ts';
import { qualified, quotedIdentifier as q, quotedString } from '../sql.ts';

export const warehouseKeySql = {
  read: 'SELECT key_fingerprint FROM meta.warehouse',
  /** Whether meta.warehouse exists (read before a run's DDL, on a file that may not be a warehouse yet). */
  exists: "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'warehouse'",
  record: 'INSERT INTO meta.warehouse VALUES ($contract, $fingerprint, now()::TIMESTAMP)',
};

export const loadSql = {
  /** Every load's id, sha256 and entity: a run skips files loaded before. */
  loaded: 'SELECT load_id, sha256, entity FROM meta.loads',
  /** Rows rejected and read by the load being made. */
  counts: `SELECT (SELECT count(DISTINCT _row) FROM _rejects)::INTEGER AS rejected,
    ((SELECT count(*) FROM _source) + (SELECT count(DISTINCT _row) FROM _source_rejects))::INTEGER AS read`,
  record: `INSERT INTO meta.loads VALUES ($load_id, $run_id, $entity, $sha, $format, $encoding, $read, $loaded,
    $rejected, $superseded, $started::TIMESTAMP, now()::TIMESTAMP, $contract)`,
  recordRejects: 'INSERT INTO meta.rejects SELECT $load_id, _row, column_name, problem, reason FROM _rejects ORDER BY _row, column_name',
  /** The temporary tables and views a load leaves on its connection (`_pseudonyms` serves the whole run). */
  cleanUp: [
    'DROP VIEW IF EXISTS _good',
    'DROP VIEW IF EXISTS _stage',
    ...['_rejects', '_dups', '_checked', '_source', '_source_rejects'].map((t) => `DROP TABLE IF EXISTS ${t}`),
  ],
};

export const quarantineSql = {
  attach: (path: string) => `ATTACH ${quotedString(path)} AS quarantine`,
  /** Rows a failed or killed run wrote have load ids the warehouse never kept. */
  prune: [
    'DELETE FROM quarantine.rejects WHERE load_id > (SELECT coalesce(max(load_id), 0) FROM meta.loads)',
    'DELETE FROM quarantine.loads WHERE load_id > (SELECT coalesce(max(load_id), 0) FROM meta.loads)',
  ],
  recordFile: 'INSERT INTO quarantine.loads VALUES ($load_id, $file, $path, $sha)',
  /** Rejected rows with their raw values, and the whole staged row as JSON, for staff to fix the source. */
  keepRejects: (entity: EntityName) => {
    const row = storedColumns(getEntity(entity)).map((c) => `${q(c.contractName)} := s.${q(c.contractName)}`);
    return `INSERT INTO quarantine.rejects
      SELECT $load_id, $file, $sha, r._row, r.column_name, r.raw_value, r.problem, r.reason, to_json(struct_pack(${row.join(', ')}))::VARCHAR
      FROM _rejects r LEFT JOIN _stage s USING (_row) ORDER BY r._row, r.column_name`;
  },
  detach: ['CHECKPOINT quarantine', 'DETACH quarantine'],
  /** Read on the warehouse (read-only) with the quarantine attached read-only: only loads the warehouse kept. */
  attachReadOnly: (path: string) => `ATTACH ${quotedString(path)} AS quarantine (READ_ONLY)`,
  export: `SELECT load_id, file_name, row_number, column_name, raw_value, problem, reason FROM quarantine.rejects
    WHERE load_id IN (SELECT load_id FROM meta.loads) AND ($load::INTEGER IS NULL OR load_id = $load::INTEGER)
    ORDER BY load_id, row_number, column_name`,
};

/** What layout.ts compares with the contract, in the attached database `$database`. */
export const layoutSql = {
  /** Before file names moved to the quarantine, meta.loads kept them. */
  legacyLoads: "SELECT 1 FROM duckdb_columns() WHERE database_name = $database AND schema_name = 'meta' AND table_name = 'loads' AND column_name = 'file_name'",
  rawColumns: "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = $database AND schema_name = 'raw'",
  widenEnum: (table: string, column: string, type: string) => `ALTER TABLE ${qualified('raw', table)} ALTER COLUMN ${q(column)} TYPE ${type}`,
  addColumn: (table: string, column: string, type: string, comment: string) =>
    `ALTER TABLE ${qualified('raw', table)} ADD COLUMN ${q(column)} ${type}; COMMENT ON COLUMN ${qualified('raw', table)}.${q(column)} IS ${quotedString(comment)}`,
};

export const buildSql = {
  loadHashes: 'SELECT sha256 FROM meta.loads ORDER BY load_id',
  nextId: 'SELECT coalesce(max(build_id), 0) + 1 FROM meta.builds',
  /** The as-of date of the latest build, whose results the derived tables hold (not the latest date built). */
  latestAsOf: 'SELECT as_of::VARCHAR FROM meta.builds ORDER BY build_id DESC LIMIT 1',
  record: 'INSERT INTO meta.builds VALUES ($id, $as_of::DATE, $snapshot, $started::TIMESTAMP, now()::TIMESTAMP, $models::VARCHAR[])',
};

export const statusSql = {
  /** File names come from the staff-only quarantine when it is attached (statusSql.withFileNames). */
  rowCounts: entityNames.map((e) => `SELECT '${e}' AS entity, count(*)::BIGINT AS rows FROM ${qualified('raw', e)}`).join(' UNION ALL '),
  loads: `SELECT l.load_id AS load, l.entity, coalesce(f.file_name, '(name in the quarantine)') AS file, l.rows_read AS read,
    l.rows_loaded AS loaded, l.rows_rejected AS rejected, l.rows_superseded AS superseded,
    strftime(l.finished_at, '%Y-%m-%d %H:%M') AS finished
    FROM meta.loads l LEFT JOIN file_names f USING (load_id) ORDER BY l.load_id`,
  /** file_names(load_id, file_name): from the quarantine if it is attached, else empty. */
  fileNames: (attached: boolean) =>
    attached
      ? 'CREATE TEMP VIEW file_names AS SELECT load_id, file_name FROM quarantine.loads'
      : 'CREATE TEMP VIEW file_names AS SELECT NULL::INTEGER AS load_id, NULL::VARCHAR AS file_name WHERE false',
  rejectsByProblem: `SELECT l.entity, r.column_name, r.problem, count(*)::BIGINT AS rows, min(r.reason) AS example_reason
    FROM meta.rejects r JOIN meta.loads l USING (load_id) GROUP BY ALL ORDER BY l.entity, rows DESC, r.column_name`,
  latestBuild: `SELECT build_id AS build, as_of::VARCHAR AS as_of, left(snapshot_sha256, 12) AS snapshot,
    strftime(finished_at, '%Y-%m-%d %H:%M') AS finished, len(models) AS models FROM meta.builds ORDER BY build_id DESC LIMIT 1`,
};
