// Reference data the models join to (schema `ref`), written at each build from maintained packages and the lists
// shipped in data/reference/.
import type { DuckDBConnection } from '@duckdb/node-api';
import { STATELESS, worldCountries } from '../contract/normalisers.ts';
import { MUNICIPALITY_LIST } from '../reference/municipalities.ts';

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
  await writeMunicipalities(conn);
}

/** ref.municipalities: every 全国地方公共団体コード, from the list shipped in data/reference/. */
async function writeMunicipalities(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE ref.municipalities (code VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, prefecture VARCHAR NOT NULL, name VARCHAR NOT NULL, prefecture_romaji VARCHAR NOT NULL, name_romaji VARCHAR NOT NULL);
    COMMENT ON TABLE ref.municipalities IS 'Every local government code (全国地方公共団体コード, 総務省): the 47 prefectures, every municipality including the 23 special wards, and the wards of the designated cities (data/reference/municipalities.tsv; source and date in data/reference/README.md).';
    COMMENT ON COLUMN ref.municipalities.code IS 'Six-digit local government code with its check digit.';
    COMMENT ON COLUMN ref.municipalities.kind IS 'prefecture, municipality, designated_city (政令指定都市), special_ward (特別区) or ward (a designated city''s ward).';
    COMMENT ON COLUMN ref.municipalities.prefecture IS 'Prefecture in Japanese (東京都).';
    COMMENT ON COLUMN ref.municipalities.name IS 'Name in Japanese (新宿区; a ward with its city, 横浜市鶴見区; a prefecture''s own row repeats its name).';
    COMMENT ON COLUMN ref.municipalities.prefecture_romaji IS 'Prefecture in romaji (Tokyo).';
    COMMENT ON COLUMN ref.municipalities.name_romaji IS 'Name in romaji (Shinjuku; a ward with its city, Tsurumi, Yokohama).';`);
  const appender = await conn.createAppender('municipalities', 'ref');
  for (const m of MUNICIPALITY_LIST) {
    for (const v of [m.code, m.kind, m.prefecture, m.name, m.prefectureRomaji, m.nameRomaji]) appender.appendVarchar(v);
    appender.endRow();
  }
  appender.closeSync();
}
