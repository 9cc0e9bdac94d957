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

/**
 * Stateless people have no ISO 3166 country; the contract uses the ICAO code XXA for them (as on
 * travel documents), with region "Stateless" in ref.countries.
 */
export const STATELESS = { iso3: 'XXA', names: ['STATELESS', '無国籍'] } as const;

/**
 * Every spelling a source may use for a country, mapped to ISO alpha-3: alpha-3 codes and names
 * (English, Japanese, common alternatives such as Burma) in any case; alpha-2 codes only exactly,
 * in capitals, so "No" or "na" never become Norway or Namibia.
 */
export function countryAliases(): Array<{ alias: string; iso3: string; exact: boolean }> {
  const aliases = new Map<string, { iso3: string; exact: boolean }>();
  const add = (alias: string | undefined, iso3: string, exact = false) => {
    const key = exact ? alias : alias?.toUpperCase();
    if (key && !aliases.has(key)) aliases.set(key, { iso3, exact });
  };
  for (const c of worldCountries) {
    for (const n of [c.cca3, c.name.common, c.name.official, c.translations.jpn?.common, c.translations.jpn?.official]) add(n, c.cca3);
    for (const n of c.altSpellings.filter((a) => a.length > 3)) add(n, c.cca3);
  }
  for (const c of worldCountries) add(c.cca2, c.cca3, true);
  add(STATELESS.iso3, STATELESS.iso3);
  for (const n of STATELESS.names) add(n, STATELESS.iso3);
  return [...aliases].map(([alias, v]) => ({ alias, ...v }));
}

export async function installNormalisers(conn: DuckDBConnection): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE country_aliases (alias VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL, exact BOOLEAN NOT NULL)');
  const appender = await conn.createAppender('country_aliases', 'main', 'temp');
  for (const { alias, iso3, exact } of countryAliases()) {
    appender.appendVarchar(alias);
    appender.appendVarchar(iso3);
    appender.appendBoolean(exact);
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(normaliseSql);
}
