// Whether a warehouse file has the layout this version of impact writes: the raw tables' column types derived from
// the contract. Rows of two layouts must never sit side by side (a participant_id as text beside one as UUID never
// joins), and an older file read as if it were current fails deep inside a query. An enum that only gained values
// and an optional column the contract gained are brought up to date in place; any other difference means loading the source files into a new warehouse.
import type { DuckDBConnection } from '@duckdb/node-api';
import { entityNames, getEntity } from '../contract/entities.ts';
import { storedColumns, type WarehouseColumn } from '../contract/warehouse-columns.ts';
import { queryRows } from '../db/connection.ts';
import { layoutSql } from './meta-sql.ts';

/** The warehouse was made by an older version of impact; its file is untouched. */
export class OutdatedWarehouseError extends Error {
  override name = 'OutdatedWarehouseError';
}

interface ColumnChange {
  table: string;
  column: string;
  stored: string;
  expected: string;
}

const ENUM_VALUE = /'((?:[^']|'')*)'/g;

/** The values of an `ENUM('a', 'b')` type, or undefined for any other type. */
export function enumValues(type: string): string[] | undefined {
  if (!type.startsWith('ENUM(')) return undefined;
  return [...type.matchAll(ENUM_VALUE)].map((m) => m[1]!.replaceAll("''", "'"));
}

/** An ENUM whose stored values are all still allowed can take the new type: every stored value keeps its meaning. */
function onlyGainedValues(change: ColumnChange): boolean {
  const stored = enumValues(change.stored);
  const expected = enumValues(change.expected);
  return stored !== undefined && expected !== undefined && stored.every((v) => expected.includes(v));
}

async function layoutChanges(conn: DuckDBConnection, database: string): Promise<{ legacy: boolean; changes: ColumnChange[]; added: Array<{ table: string; column: WarehouseColumn }> }> {
  const legacy = (await queryRows(conn, layoutSql.legacyLoads, { database })).length > 0;
  const stored = await queryRows<{ table_name: string; column_name: string; data_type: string }>(conn, layoutSql.rawColumns, { database });
  const expected = new Map<string, string>(entityNames.flatMap((entity) => storedColumns(getEntity(entity)).map((c) => [`${entity}.${c.name}`, c.sqlType] as const)));
  const changes = stored.flatMap((c) => {
    const type = expected.get(`${c.table_name}.${c.column_name}`);
    return type !== undefined && type !== c.data_type ? [{ table: c.table_name, column: c.column_name, stored: c.data_type, expected: type }] : [];
  });
  // A column the contract gained later (optional, as sib_contracts.name_en) is added in place: nothing stored changes.
  const tables = new Set(stored.map((c) => c.table_name));
  const have = new Set(stored.map((c) => `${c.table_name}.${c.column_name}`));
  const added = entityNames.flatMap((entity) =>
    tables.has(entity) ? storedColumns(getEntity(entity)).filter((c) => !have.has(`${entity}.${c.name}`)).map((c) => ({ table: entity, column: c })) : [],
  );
  return { legacy, changes, added };
}

function outdated(db: string, why: string, remedy = 'Move it aside and load the source files again.'): OutdatedWarehouseError {
  return new OutdatedWarehouseError(`The warehouse ${db} was made by an older version of impact (${why}). ${remedy}`);
}

function describe(change: ColumnChange): string {
  return `raw.${change.table}.${change.column} is ${change.stored}; this version stores ${change.expected}`;
}

/** Throws unless the attached database `database` (the file `db`) has the current layout; for readers. */
export async function assertCurrentLayout(conn: DuckDBConnection, db: string, database: string): Promise<void> {
  const { legacy, changes, added } = await layoutChanges(conn, database);
  if (legacy) throw outdated(db, 'it keeps file names in meta.loads');
  const lasting = changes.find((c) => !onlyGainedValues(c));
  if (lasting) throw outdated(db, describe(lasting));
  const required = added.find((a) => !a.column.spec.optional);
  if (required) throw outdated(db, `raw.${required.table} has no column ${required.column.name}`);
  if (added.length > 0) throw outdated(db, `raw.${added[0]!.table} has no column ${added[0]!.column.name}, which this version adds`, 'Run `impact build` once to bring it up to date.');
  if (changes.length > 0) throw outdated(db, `${describe(changes[0]!)}, which only gained values`, 'Run `impact build` once to bring it up to date.');
}

/** As assertCurrentLayout, but first widens enums that only gained values; for a writer, on its work copy. */
export async function upgradeLayout(conn: DuckDBConnection, db: string): Promise<void> {
  const database = (await queryRows<{ name: string }>(conn, 'SELECT current_database() AS name'))[0]!.name;
  const { changes, added } = await layoutChanges(conn, database);
  for (const change of changes.filter(onlyGainedValues)) await conn.run(layoutSql.widenEnum(change.table, change.column, change.expected));
  for (const { table, column } of added.filter((a) => a.column.spec.optional)) await conn.run(layoutSql.addColumn(table, column.name, column.sqlType, column.comment));
  await assertCurrentLayout(conn, db, database);
}
