-- The warehouse's own records: which files were loaded, what was rejected, which builds ran.
-- Raw rejected values are not kept here (they may hold a raw participant_ref or a name): they live
-- in the staff-only quarantine file beside the warehouse.

CREATE SCHEMA IF NOT EXISTS meta;

CREATE TABLE IF NOT EXISTS meta.warehouse (
  contract_version INTEGER NOT NULL,
  key_fingerprint VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE meta.warehouse IS 'One row: the input contract version and the fingerprint of the pseudonymisation key this warehouse was built with.';
COMMENT ON COLUMN meta.warehouse.contract_version IS 'Version of the input contract the raw tables follow.';
COMMENT ON COLUMN meta.warehouse.key_fingerprint IS 'HMAC of a fixed label under the pseudonymisation key: tells whether a later load uses the same key, reveals nothing about it.';
COMMENT ON COLUMN meta.warehouse.created_at IS 'When the warehouse was first created (UTC).';

CREATE TABLE IF NOT EXISTS meta.loads (
  load_id INTEGER NOT NULL,
  run_id VARCHAR NOT NULL,
  entity VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  encoding VARCHAR,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  rows_superseded BIGINT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  contract_version INTEGER NOT NULL
);
COMMENT ON TABLE meta.loads IS 'One row per file loaded. A file whose sha256 is already here is skipped, so re-running a load changes nothing. File names are not kept here (a name can name a person): they are in the staff-only quarantine, and impact status shows them.';
COMMENT ON COLUMN meta.loads.load_id IS 'Sequential id of the load; raw rows carry the id of the load that last wrote them.';
COMMENT ON COLUMN meta.loads.run_id IS 'Id of the impact ingest run (several files load in one run, all or nothing).';
COMMENT ON COLUMN meta.loads.entity IS 'Contract entity the file holds.';
COMMENT ON COLUMN meta.loads.sha256 IS 'SHA-256 of the file bytes.';
COMMENT ON COLUMN meta.loads.format IS 'csv, xlsx, parquet, json or ndjson.';
COMMENT ON COLUMN meta.loads.encoding IS 'Text encoding the file was read in (CSV only).';
COMMENT ON COLUMN meta.loads.rows_read IS 'Data rows in the file.';
COMMENT ON COLUMN meta.loads.rows_loaded IS 'Rows written to the raw table.';
COMMENT ON COLUMN meta.loads.rows_rejected IS 'Rows rejected (see meta.rejects); rows_loaded + rows_rejected = rows_read.';
COMMENT ON COLUMN meta.loads.rows_superseded IS 'Rows already in the raw table with the same natural key, replaced by this load.';
COMMENT ON COLUMN meta.loads.started_at IS 'When the load started (UTC).';
COMMENT ON COLUMN meta.loads.finished_at IS 'When the load finished (UTC).';
COMMENT ON COLUMN meta.loads.contract_version IS 'Input contract version the file was validated against.';

CREATE TABLE IF NOT EXISTS meta.rejects (
  load_id INTEGER NOT NULL,
  row_number BIGINT NOT NULL,
  column_name VARCHAR NOT NULL,
  problem VARCHAR NOT NULL,
  reason VARCHAR NOT NULL
);
COMMENT ON TABLE meta.rejects IS 'One row per problem found in a rejected source row (a row can have several). The raw values are in the staff-only quarantine file, not here.';
COMMENT ON COLUMN meta.rejects.load_id IS 'The load (meta.loads.load_id).';
COMMENT ON COLUMN meta.rejects.row_number IS 'Row in the file as a person sees it (CSV and Excel: header = row 1; JSON and Parquet: record number).';
COMMENT ON COLUMN meta.rejects.column_name IS 'Contract column at fault (several, comma-separated, for a duplicate key; the source header for unreadable lines).';
COMMENT ON COLUMN meta.rejects.problem IS 'Kind of problem, for summaries: missing (required value empty), invalid (unreadable or out of range), rule (breaks a rule across columns), reference (names a row not loaded), duplicate (repeats the natural key of an earlier row), unreadable (the line itself could not be read).';
COMMENT ON COLUMN meta.rejects.reason IS 'Why the row was rejected, in words staff can act on.';

CREATE TABLE IF NOT EXISTS meta.builds (
  build_id INTEGER NOT NULL,
  as_of DATE NOT NULL,
  snapshot_sha256 VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  models VARCHAR[] NOT NULL
);
COMMENT ON TABLE meta.builds IS 'One row per impact build. Derived tables (staging, core, marts) hold the result of the latest build.';
COMMENT ON COLUMN meta.builds.build_id IS 'Sequential id of the build.';
COMMENT ON COLUMN meta.builds.as_of IS 'Reporting date: nothing dated after it is used, open spells are cut at it.';
COMMENT ON COLUMN meta.builds.snapshot_sha256 IS 'SHA-256 over the sha256 of every load, in load order: identifies the input data the build saw.';
COMMENT ON COLUMN meta.builds.started_at IS 'When the build started (UTC).';
COMMENT ON COLUMN meta.builds.finished_at IS 'When the build finished (UTC).';
COMMENT ON COLUMN meta.builds.models IS 'Models built, in order (schema.table).';
