-- The staff-only quarantine: every rejected source row with its raw values, so staff can correct the
-- source file. It may hold raw participant references, so it is a separate file beside the warehouse,
-- never part of what researchers or funders receive. File names live here too, not in the warehouse:
-- staff name files freely, and a name can name a person.
CREATE TABLE IF NOT EXISTS quarantine.loads (
  load_id INTEGER NOT NULL,
  file_name VARCHAR NOT NULL,
  source_path VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL
);
COMMENT ON TABLE quarantine.loads IS 'The file behind each load of meta.loads (staff only).';

CREATE TABLE IF NOT EXISTS quarantine.rejects (
  load_id INTEGER NOT NULL,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  row_number BIGINT NOT NULL,
  column_name VARCHAR NOT NULL,
  raw_value VARCHAR,
  problem VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  raw_row VARCHAR
);
COMMENT ON TABLE quarantine.rejects IS 'Rejected rows with their raw values (staff only).';
COMMENT ON COLUMN quarantine.rejects.raw_row IS 'The whole row as JSON (contract columns only; direct identifiers are never read).';
