// Reference data the models join to (schema `ref`), written from maintained packages at each build.
import type { DuckDBConnection } from '@duckdb/node-api';
import { STATELESS, worldCountries } from '../contract/normalisers.ts';

export async function writeReferenceTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ref;
    CREATE OR REPLACE TABLE ref.countries (iso3 VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_ja VARCHAR, region VARCHAR NOT NULL, subregion VARCHAR);
    COMMENT ON TABLE ref.countries IS 'ISO 3166-1 countries with UN geoscheme region and subregion (world-countries package), and XXA (stateless, region Stateless).';
    COMMENT ON COLUMN ref.countries.iso3 IS 'ISO 3166-1 alpha-3 code.';
    COMMENT ON COLUMN ref.countries.name_en IS 'English common name.';
    COMMENT ON COLUMN ref.countries.name_ja IS 'Japanese common name.';
    COMMENT ON COLUMN ref.countries.region IS 'Region (Africa, Americas, Asia, Europe, Oceania, Antarctic).';
    COMMENT ON COLUMN ref.countries.subregion IS 'Subregion, e.g. South-Eastern Asia.';`);
  const appender = await conn.createAppender('countries', 'ref');
  for (const c of [...worldCountries].sort((a, b) => a.cca3.localeCompare(b.cca3))) {
    appender.appendVarchar(c.cca3);
    appender.appendVarchar(c.name.common);
    const ja = c.translations.jpn?.common;
    if (ja) appender.appendVarchar(ja);
    else appender.appendNull();
    appender.appendVarchar(c.region);
    if (c.subregion) appender.appendVarchar(c.subregion);
    else appender.appendNull();
    appender.endRow();
  }
  appender.appendVarchar(STATELESS.iso3);
  appender.appendVarchar('Stateless');
  appender.appendVarchar('無国籍');
  appender.appendVarchar('Stateless');
  appender.appendNull();
  appender.endRow();
  appender.closeSync();
}
