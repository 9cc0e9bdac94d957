// The one way numbers and dates leave DuckDB for publishing: every column is given a kind from its
// DuckDB type, and every value is converted once, checked. DuckDB's JSON rows give BIGINT, HUGEINT
// (what sum and count return) and DECIMAL as strings, and NaN or infinity as words; a page or a PDF
// that did arithmetic on those would print nonsense, and `::DOUBLE` casts in every query hid it.
import { DuckDBTypeId, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/** What a published column holds: numbers (counts, yen, rates), text, calendar dates, or true/false. */
export type ColumnKind = 'number' | 'text' | 'date' | 'boolean';

export interface ColumnType {
  name: string;
  kind: ColumnKind;
}

/**
 * One value as read: a number (finite, or null), text, a date as its ISO text YYYY-MM-DD (kind
 * 'date', so writers can type it as a date), a boolean, or null.
 */
export type Cell = number | string | boolean | null;

export interface TypedRows<T> {
  columns: ColumnType[];
  rows: T[];
}

const SMALL_NUMBERS = new Set([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER, DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE,
]);
const WIDE_INTEGERS = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);
const TEXTS = new Set([DuckDBTypeId.VARCHAR, DuckDBTypeId.ENUM, DuckDBTypeId.UUID, DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_TZ, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.TIMESTAMP_MS]);

function kindOf(name: string, type: DuckDBType): ColumnKind {
  const id = type.typeId;
  if (SMALL_NUMBERS.has(id) || WIDE_INTEGERS.has(id) || id === DuckDBTypeId.DECIMAL) return 'number';
  if (id === DuckDBTypeId.DATE) return 'date';
  if (id === DuckDBTypeId.BOOLEAN) return 'boolean';
  if (TEXTS.has(id)) return 'text';
  throw new Error(`Column ${name} is ${type.toString()}, which is not published: select numbers, text, dates or booleans.`);
}

/** A value of a number column as a JS number: exact integers only below 2^53, NaN and infinity as null. */
function toNumber(name: string, id: DuckDBTypeId, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (WIDE_INTEGERS.has(id)) {
    const big = BigInt(value as string);
    const n = Number(big);
    if (!Number.isSafeInteger(n)) throw new Error(`Column ${name} holds ${big}, too large to publish exactly (above 2^53).`);
    return n;
  }
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Runs one query and returns its rows with every value converted by its column's kind. */
export async function readTyped<T = Record<string, Cell>>(
  conn: DuckDBConnection,
  sql: string,
  values?: Record<string, DuckDBValue>,
): Promise<TypedRows<T>> {
  const reader = await conn.runAndReadAll(sql, values);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const columns = names.map((name, i) => ({ name, kind: kindOf(name, types[i]!) }));
  const rows = (reader.getRowObjectsJson() as Record<string, unknown>[]).map((raw) => {
    const row: Record<string, Cell> = {};
    for (const [i, { name, kind }] of columns.entries()) {
      const value = raw[name];
      row[name] = kind === 'number' ? toNumber(name, types[i]!.typeId, value) : ((value ?? null) as Cell);
    }
    return row as T;
  });
  return { columns, rows };
}

/** The rows alone (readTyped). */
export async function readRows<T = Record<string, Cell>>(conn: DuckDBConnection, sql: string, values?: Record<string, DuckDBValue>): Promise<T[]> {
  return (await readTyped<T>(conn, sql, values)).rows;
}
