// DDL of the warehouse, derived from the contract (raw.*) and from meta.sql (meta.*).
import { readFileSync } from 'node:fs';
import { getEntity, entityNames, CONTRACT_VERSION, type EntityName } from '../contract/entities.ts';
import { LINEAGE_COLUMNS, storedColumns } from '../contract/warehouse-columns.ts';
import { qualified, quotedIdentifier, quotedString } from '../sql.ts';

export const metaSql = readFileSync(new URL('./meta.sql', import.meta.url), 'utf8');

export function rawTableDdl(name: EntityName): string {
  const entity = getEntity(name);
  const columns = storedColumns(entity);
  const defs = [
    ...columns.map((c) => `  ${quotedIdentifier(c.name)} ${c.sqlType}${c.spec.optional ? '' : ' NOT NULL'}`),
    ...LINEAGE_COLUMNS.map((c) => `  ${quotedIdentifier(c.name)} ${c.sqlType} NOT NULL`),
  ];
  const table = qualified('raw', name);
  const key = entity.key.map((k) => columns.find((c) => c.contractName === k)!.name).join(', ');
  const comments = [
    `COMMENT ON TABLE ${table} IS ${quotedString(`${entity.description} Loaded from ${name} files (input contract v${CONTRACT_VERSION}); natural key (${key}): a re-delivered row with the same key replaces the old one.`)};`,
    ...columns.map((c) => `COMMENT ON COLUMN ${table}.${quotedIdentifier(c.name)} IS ${quotedString(c.comment)};`),
    ...LINEAGE_COLUMNS.map((c) => `COMMENT ON COLUMN ${table}.${quotedIdentifier(c.name)} IS ${quotedString(c.comment)};`),
  ];
  return [`CREATE TABLE IF NOT EXISTS ${table} (\n${defs.join(',\n')}\n);`, ...comments].join('\n');
}

/** Everything a new warehouse needs; safe to run on an existing one. */
export function warehouseDdl(): string {
  return [
    metaSql,
    'CREATE SCHEMA IF NOT EXISTS raw;',
    ...entityNames.map(rawTableDdl),
  ].join('\n\n');
}
