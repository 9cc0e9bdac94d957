// SQL of the Parquet export, run on the warehouse (or a research extract) opened read-only.
import { quotedIdentifier as q, quotedString } from '../sql.ts';

export const parquetSql = {
  martColumns: `SELECT table_name, column_name FROM duckdb_columns()
    WHERE schema_name = 'marts' AND database_name = current_database() ORDER BY table_name, column_index`,
  /** Where the as-of date is: meta.builds in a warehouse, the README table in a research extract. */
  asOfSource: `SELECT schema_name || '.' || table_name AS source FROM duckdb_tables()
    WHERE database_name = current_database() AND ((schema_name = 'meta' AND table_name = 'builds') OR (schema_name = 'main' AND table_name = 'README'))
    ORDER BY schema_name = 'meta' DESC LIMIT 1`,
  asOf: {
    'meta.builds': 'SELECT as_of::VARCHAR AS as_of FROM meta.builds ORDER BY build_id DESC LIMIT 1',
    'main.README': `SELECT left(content, 10) AS as_of FROM main."README" WHERE section = 'as_of'`,
  } as Record<string, string>,
  copy: (mart: string, path: string, partitionBy: string | null) =>
    partitionBy
      ? `COPY (SELECT * FROM marts.${q(mart)}) TO ${quotedString(path)} (FORMAT parquet, PARTITION_BY (${q(partitionBy)}), OVERWRITE_OR_IGNORE)`
      : `COPY (SELECT * FROM marts.${q(mart)}) TO ${quotedString(path)} (FORMAT parquet)`,
  howToRead: "DuckDB: SELECT * FROM read_parquet('DIR/sib_payments/*/*.parquet', hive_partitioning = true); pandas: pd.read_parquet('DIR/sib_payments'); Spark: spark.read.parquet('DIR/sib_payments')",
};
