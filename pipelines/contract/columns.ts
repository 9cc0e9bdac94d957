// Column kinds of the input contract. Each helper returns a zod schema for the typed value and
// registers, beside it, what the warehouse needs to know: SQL type, how a raw text value is parsed
// (a macro from normalise.sql), which rules a parsed value must pass, and the words for the data
// dictionary. Entities (entities.ts) are built only from these helpers, so types, DDL, validation
// and docs all derive from one definition.
import { z } from 'zod';
import { sqlList } from '../sql.ts';
import { MUNICIPALITY_LIST } from '../reference/municipalities.ts';
import { STATELESS, worldCountries } from './normalisers.ts';

export type ColumnKind =
  | 'participant_ref'
  | 'ref'
  | 'text'
  | 'date'
  | 'month'
  | 'yen'
  | 'int'
  | 'rate'
  | 'bool'
  | 'enum'
  | 'country'
  | 'municipality'
  | 'direct_identifier';

/** A check on a parsed value: `bad` is SQL that is true when the value `v` breaks the rule. */
export interface ValueRule {
  bad: (v: string) => string;
  reason: string;
}

export interface ColumnSpec {
  kind: ColumnKind;
  description: string;
  optional: boolean;
  /** Unit of the stored value, for the dictionary. */
  unit?: string;
  /** Allowed values (enum). */
  values?: readonly string[];
  /** Source spellings of enum values (Japanese labels, synonyms), folded to lower case. */
  valueAliases?: Record<string, string>;
  /** Other header names a source may use for this column (Japanese exports). */
  headers?: readonly string[];
  /** Human-readable constraint, for the dictionary. */
  constraint?: string;
  rules: ValueRule[];
  /** DuckDB type of the stored value. */
  sqlType: string;
  /** SQL turning folded text `x` (see fold_width in normalise.sql) into the typed value, NULL when it cannot be read. */
  parse: (x: string) => string;
  /**
   * The canonical spelling, read from the raw text `r` without folding: most values of a clean export take this
   * path, which keeps validation close to DuckDB's own CSV speed. `value` is a cheap reading of `r` (NULL, never an
   * error, when it cannot be read; it may accept more than the canonical spelling); `exact` is true when `r` is the
   * canonical spelling of that value `v`, and only then is `v` taken. Any other text is folded and parsed, so the
   * fast path can only ever agree with the parser.
   */
  canonical?: Canonical;
  /** Why an unreadable value was rejected, in words staff can act on. */
  formatReason: string;
  /** Accepted input forms, for the dictionary. */
  accepts: string;
}

export interface Canonical {
  value: (r: string) => string;
  exact: (v: string, r: string) => string;
}

export const contractRegistry = z.registry<ColumnSpec, z.ZodType>();

export function specOf(schema: z.core.$ZodType): ColumnSpec {
  const spec = contractRegistry.get(schema as z.ZodType);
  if (!spec) throw new Error('column schema is not registered in the contract');
  return spec;
}

function registered<T extends z.ZodType>(schema: T, spec: ColumnSpec): T {
  contractRegistry.add(schema, spec);
  return schema;
}

type Common = { description: string; headers?: readonly string[] };

function column<T extends z.ZodType>(schema: T, spec: Omit<ColumnSpec, 'optional' | 'rules'> & { rules?: ValueRule[] }) {
  return {
    required: () => registered(schema, { ...spec, rules: spec.rules ?? [], optional: false }),
    optional: () => registered(schema.nullable().optional(), { ...spec, rules: spec.rules ?? [], optional: true }),
  };
}

// NA, N/A and NULL look like identifiers but are blanks (not_available_as_blank), as the parser reads them.
const CANONICAL_REF: Canonical = {
  value: (r) => r,
  exact: (_v, r) => `regexp_full_match(${r}, '[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}') AND not_available_as_blank(${r}) IS NOT NULL`,
};
// DuckDB's own casts read a number or a date faster than a regular expression can check its spelling; the spelling is
// then checked by writing the value back (12, not 012 or +12; 2026-04-01, not 2026-4-1 or 2026/04/01).
const CANONICAL_INTEGER: Canonical = { value: (r) => `TRY_CAST(${r} AS BIGINT)`, exact: (v, r) => `CAST(${v} AS VARCHAR) = ${r}` };
const CANONICAL_DATE: Canonical = { value: (r) => `CASE WHEN length(${r}) = 10 THEN TRY_CAST(${r} AS DATE) END`, exact: (v, r) => `CAST(${v} AS VARCHAR) = ${r}` };
const CANONICAL_MONTH: Canonical = {
  value: (r) => `CASE WHEN length(${r}) = 7 THEN TRY_CAST(${r} || '-01' AS DATE) END`,
  exact: (v, r) => `CAST(${v} AS VARCHAR) = ${r} || '-01'`,
};

// A country written as its alpha-3 code (most exports) is looked up in a type, not in the alias table row by row:
// casting to an ENUM of the codes is one hash lookup.
const COUNTRY_CODES_TYPE = `ENUM(${sqlList([...worldCountries.map((c) => c.cca3), STATELESS.iso3].sort())})`;
const CANONICAL_COUNTRY: Canonical = { value: (r) => r, exact: (_v, r) => `TRY_CAST(${r} AS ${COUNTRY_CODES_TYPE}) IS NOT NULL` };

// A well-formed code must also name a local government that exists: the official list as an ENUM, one hash lookup a row.
const MUNICIPALITY_CODES_TYPE = `ENUM(${sqlList(MUNICIPALITY_LIST.map((m) => m.code))})`;

const DATE_FORMS = '2026-04-01, 2026/4/1, 20260401, 2026年4月1日, 令和8年4月1日, R8.4.1, or an Excel date serial';

export const col = {
  /** The programme's own participant reference; pseudonymised to participant_id at ingest. */
  participantRef: (o: Partial<Common> = {}) =>
    column(z.string().min(1).max(64), {
      kind: 'participant_ref',
      canonical: CANONICAL_REF,
      description:
        o.description ??
        "The programme's reference for a participant. Replaced at ingest by participant_id, a keyed HMAC-SHA256 pseudonym; the raw reference never reaches the warehouse.",
      headers: o.headers ?? ['参加者番号', '参加者ID', '受講者番号', '受講者ID', '社員番号'],
      // The stored pseudonym is 128 bits: as a UUID it is 16 bytes that the warehouse writes and joins on far faster
      // than the 32 random hex characters it would take as text.
      sqlType: 'UUID',
      parse: (x) => `parse_ref_text(${x})`,
      formatReason: 'not a usable reference (1 to 64 characters, no control characters)',
      accepts: 'text; full-width letters and digits are folded',
    }),

  ref: (o: Common) =>
    column(z.string().min(1).max(64), {
      kind: 'ref',
      canonical: CANONICAL_REF,
      description: o.description,
      headers: o.headers,
      sqlType: 'VARCHAR',
      parse: (x) => `parse_ref_text(${x})`,
      formatReason: 'not a usable identifier (1 to 64 characters, no control characters)',
      accepts: 'text; full-width letters and digits are folded',
    }),

  text: (o: Common) =>
    column(z.string().min(1), {
      kind: 'text',
      description: o.description,
      headers: o.headers,
      sqlType: 'VARCHAR',
      parse: (x) => x,
      formatReason: 'not readable text',
      accepts: 'text; surrounding spaces are trimmed',
    }),

  date: (o: Common) =>
    column(z.iso.date(), {
      kind: 'date',
      canonical: CANONICAL_DATE,
      description: o.description,
      headers: o.headers,
      sqlType: 'DATE',
      parse: (x) => `parse_date_text(${x})`,
      formatReason: `not a valid date (expected ${DATE_FORMS})`,
      accepts: DATE_FORMS,
      rules: [{ bad: (v) => `${v} NOT BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'`, reason: 'date is outside 1900 to 2100' }],
    }),

  month: (o: Common) =>
    column(z.iso.date(), {
      kind: 'month',
      canonical: CANONICAL_MONTH,
      description: o.description,
      headers: o.headers,
      sqlType: 'DATE',
      unit: 'month, stored as its first day',
      parse: (x) => `parse_month_text(${x})`,
      formatReason: 'not a valid month (expected 2026-04, 2026/4, 202604, 2026年4月, 令和8年4月, R8.4, or a date in the month)',
      accepts: '2026-04, 2026/4, 202604, 2026年4月, 令和8年4月, R8.4, or any date form (the month is kept)',
      rules: [{ bad: (v) => `${v} NOT BETWEEN DATE '1900-01-01' AND DATE '2100-12-01'`, reason: 'month is outside 1900 to 2100' }],
    }),

  yen: (o: Common & { min?: number }) => {
    const min = o.min;
    return column(min === undefined ? z.number().int() : z.number().int().min(min), {
      kind: 'yen',
      canonical: CANONICAL_INTEGER,
      description: o.description,
      headers: o.headers,
      sqlType: 'BIGINT',
      unit: 'JPY (whole yen)',
      constraint: min === undefined ? 'signed' : `at least ${min}`,
      parse: (x) => `parse_yen_text(${x})`,
      formatReason: 'not a whole yen amount (expected e.g. 1234000, 1,234,000, ¥1,234,000, 1,234,000円, 123.4万円, △1,000)',
      accepts: '1234000, 1,234,000, ¥1,234,000, 1,234,000円, 123.4万円, full-width digits; negative as -1000, △1000, ▲1000 or (1,000)',
      rules: min === undefined ? [] : [{ bad: (v) => `${v} < ${min}`, reason: `must be at least ${min} yen` }],
    });
  },

  int: (o: Common & { min: number; max: number | 'as_of_year'; unit?: string }) => {
    const maxSql = o.max === 'as_of_year' ? 'year(current_date)' : String(o.max);
    const maxWords = o.max === 'as_of_year' ? 'the current year' : String(o.max);
    return column(z.number().int().min(o.min), {
      kind: 'int',
      canonical: CANONICAL_INTEGER,
      description: o.description,
      headers: o.headers,
      unit: o.unit,
      sqlType: 'INTEGER',
      constraint: `${o.min} to ${maxWords}`,
      parse: (x) => `parse_int_text(${x})`,
      formatReason: 'not a whole number',
      accepts: 'whole number; full-width digits and thousands separators are folded',
      rules: [{ bad: (v) => `${v} NOT BETWEEN ${o.min} AND ${maxSql}`, reason: `must be between ${o.min} and ${maxWords}` }],
    });
  },

  rate: (o: Common) =>
    column(z.number().gt(0).lt(1), {
      kind: 'rate',
      canonical: { value: (r) => `TRY_CAST(${r} AS DOUBLE)`, exact: (_v, r) => `regexp_full_match(${r}, '0?\\.\\d{1,15}')` },
      description: o.description,
      headers: o.headers,
      sqlType: 'DOUBLE',
      unit: 'fraction (0.1 = 10%)',
      constraint: 'strictly between 0 and 1',
      parse: (x) => `parse_rate_text(replace(${x}, ' ', ''))`,
      formatReason: 'not a rate (expected e.g. 0.1 or 10%)',
      accepts: '0.1 or 10%',
      rules: [{ bad: (v) => `NOT (${v} > 0 AND ${v} < 1)`, reason: 'must be strictly between 0 and 1 (0% and 100%)' }],
    }),

  bool: (o: Common) =>
    column(z.boolean(), {
      kind: 'bool',
      canonical: { value: (r) => `CASE ${r} WHEN 'true' THEN true WHEN 'false' THEN false END`, exact: (v) => `${v} IS NOT NULL` },
      description: o.description,
      headers: o.headers,
      sqlType: 'BOOLEAN',
      parse: (x) => `parse_bool_text(${x})`,
      formatReason: 'not a yes/no value (expected true/false, yes/no, 1/0, はい/いいえ, ○/×, 有/無)',
      accepts: 'true/false, yes/no, y/n, 1/0, はい/いいえ, ○/×, 有/無',
    }),

  // Stored as a DuckDB ENUM: the allowed values are part of the column's type, a researcher sees them with DESCRIBE,
  // and the warehouse writes one small integer a row instead of compressing text.
  enum: <const V extends readonly [string, ...string[]]>(o: Common & { values: V; aliases?: Record<string, V[number]> }) => {
    const type = enumType(o.values);
    return column(z.enum(o.values), {
      kind: 'enum',
      canonical: { value: (r) => `TRY_CAST(${r} AS ${type})`, exact: (v) => `${v} IS NOT NULL` },
      description: o.description,
      headers: o.headers,
      sqlType: type,
      values: o.values,
      valueAliases: o.aliases,
      constraint: `one of ${o.values.join(', ')}`,
      parse: (x) => `TRY_CAST(${enumParse(x, o.values, o.aliases ?? {})} AS ${type})`,
      formatReason: `not one of: ${o.values.join(', ')}`,
      accepts: `${o.values.join(', ')} (case and spacing ignored)${o.aliases ? `; also ${Object.keys(o.aliases).join(', ')}` : ''}`,
    });
  },

  country: (o: Common) =>
    column(z.string().regex(/^[A-Z]{3}$/), {
      kind: 'country',
      canonical: CANONICAL_COUNTRY,
      description: o.description,
      headers: o.headers,
      sqlType: 'VARCHAR',
      constraint: 'ISO 3166-1 alpha-3, or XXA for stateless',
      parse: (x) => `parse_country_text(${x})`,
      formatReason: 'not a known country (expected an ISO 3166-1 alpha-3 code such as MMR, an alpha-2 code in capitals, its English or Japanese name, or XXA / stateless / 無国籍)',
      accepts: 'ISO 3166-1 alpha-3 (MMR), alpha-2 in capitals (MM), English or Japanese name or alternative (Myanmar, Burma, ミャンマー), XXA / stateless / 無国籍',
    }),

  municipality: (o: Common) =>
    column(z.string().regex(/^\d{6}$/), {
      kind: 'municipality',
      canonical: { value: (r) => r, exact: (_v, r) => `regexp_full_match(${r}, '\\d{6}')` },
      description: o.description,
      headers: o.headers,
      sqlType: 'VARCHAR',
      constraint: '6 digits, prefecture 01 to 47, check digit verified, in the official list of local government codes',
      parse: (x) => `parse_municipality_text(${x})`,
      formatReason: 'not a local government code (expected 5 or 6 digits, e.g. 13104 or 131041)',
      accepts: '5-digit code (the check digit is added) or 6-digit code (the check digit is verified)',
      rules: [
        { bad: (v) => `substr(${v}, 1, 2)::INTEGER NOT BETWEEN 1 AND 47`, reason: 'prefecture part (first two digits) must be 01 to 47' },
        { bad: (v) => `right(${v}, 1)::INTEGER <> municipality_check_digit(${v})`, reason: 'check digit (6th digit) does not match the first five digits' },
        {
          bad: (v) => `TRY_CAST(${v} AS ${MUNICIPALITY_CODES_TYPE}) IS NULL`,
          reason: 'no local government has this code in the official list (全国地方公共団体コード); check the code, or the list in data/reference/ if it is new',
        },
      ],
    }),

  /** Name, e-mail, phone or address: accepted in a source file, dropped at ingest, never stored. */
  directIdentifier: (o: Common) =>
    column(z.string(), {
      kind: 'direct_identifier',
      description: o.description,
      headers: o.headers,
      sqlType: 'VARCHAR',
      parse: () => 'NULL',
      formatReason: '',
      accepts: 'anything: the column is dropped before staging',
    }),
};

function enumType(values: readonly string[]): string {
  return `ENUM(${sqlList(values)})`;
}

/**
 * A value as written is taken at once; otherwise case and spacing are folded and aliases mapped, so
 * `Full Time`, `full-time` and `フルタイム` all read as full_time.
 */
function enumParse(x: string, values: readonly string[], aliases: Record<string, string>): string {
  const folded = `regexp_replace(lower(${x}), '[\\s-]+', '_', 'g')`;
  const cases = Object.entries(aliases).map(([from, to]) => `WHEN ${sqlList([from.toLowerCase()])} THEN ${sqlList([to])}`);
  const slow = cases.length ? `CASE ${folded} ${cases.join(' ')} ELSE ${folded} END` : folded;
  return `(CASE WHEN ${inList(x, values)} THEN ${x} ELSE ${slow} END)`;
}

/** `x` is one of `values`; list_contains, because DuckDB runs a long IN list as a (slower) join. */
function inList(x: string, values: readonly string[]): string {
  return `list_contains([${sqlList(values)}], ${x})`;
}
