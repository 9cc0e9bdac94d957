// Installs the SQL normalisers (normalise.sql) and the country lookup on an ingest connection.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DuckDBConnection } from '@duckdb/node-api';

const require = createRequire(import.meta.url);

interface WorldCountry {
  cca2: string;
  cca3: string;
  name: { common: string; official: string };
  translations: Record<string, { common: string; official: string }>;
  altSpellings: string[];
  region: string;
  subregion: string;
}

export const worldCountries: WorldCountry[] = require('world-countries/countries.json');

const normaliseSql = readFileSync(new URL('./normalise.sql', import.meta.url), 'utf8');

/** Every spelling a source may use for a country, upper-cased, mapped to ISO alpha-3. */
export function countryAliases(): Array<[string, string]> {
  const aliases = new Map<string, string>();
  for (const c of worldCountries) {
    const names = [c.cca3, c.cca2, c.name.common, c.name.official, c.translations.jpn?.common, c.translations.jpn?.official];
    for (const n of names) if (n && !aliases.has(n.toUpperCase())) aliases.set(n.toUpperCase(), c.cca3);
  }
  return [...aliases];
}

export async function installNormalisers(conn: DuckDBConnection): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE country_aliases (alias VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL)');
  const appender = await conn.createAppender('country_aliases', 'main', 'temp');
  for (const [alias, iso3] of countryAliases()) {
    appender.appendVarchar(alias);
    appender.appendVarchar(iso3);
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(normaliseSql);
}
