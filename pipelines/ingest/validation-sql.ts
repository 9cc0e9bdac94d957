// SQL templates of set-based validation, generated from the contract. The loader runs them in order
// on one connection, over the TEMP table `_source` that a reader filled with the file's text:
//   _stage    contract columns as text (mapping applied)          [view]
//   _checked  raw text, typed value and first error of each column [table]
//   _dups     rows repeating the natural key of an earlier good row [table]
//   _rejects  one row per problem: row, column, raw value, reason   [table]
//   _good     typed rows ready for raw.<entity>                      [view]
import { getEntity, type EntityName } from '../contract/entities.ts';
import { storedColumns, type WarehouseColumn } from '../contract/warehouse-columns.ts';
import { qualified, quotedIdentifier as q, quotedString } from '../sql.ts';
import type { ColumnBinding } from './mapping.ts';

const raw = (c: string) => q(`${c}__raw`);
// An error is stored as `problem|reason`: the problem groups rejects in summaries, the reason tells staff what to fix.
export const PROBLEMS = ['missing', 'invalid', 'rule', 'reference', 'duplicate', 'unreadable'] as const;
const problem = (kind: (typeof PROBLEMS)[number], reason: string) => quotedString(`${kind}|${reason}`);
const err = (c: string) => q(`${c}__error`);
const fast = (c: string) => q(`${c}__fast`);
const canon = (c: string) => q(`${c}__canonical`);
const folded = (c: string) => q(`${c}__folded`);
const blank = (c: string) => q(`${c}__blank`);

export function stageSql(bindings: ColumnBinding[]): string {
  const columns = bindings.map((b) => {
    let expr = b.header === null ? 'NULL::VARCHAR' : q(b.header);
    if (b.values && b.header !== null) {
      const cases = Object.entries(b.values).map(([from, to]) => `WHEN ${quotedString(from)} THEN ${quotedString(to)}`);
      expr = `CASE ${expr} ${cases.join(' ')} ELSE ${expr} END`;
    }
    if (b.default !== undefined) expr = `coalesce(${expr}, ${quotedString(b.default)})`;
    return `${expr} AS ${q(b.column)}`;
  });
  return `CREATE OR REPLACE TEMP VIEW _stage AS SELECT _row, ${columns.join(', ')} FROM _source`;
}

/**
 * The distinct participant references of the file as written that have no pseudonym yet in this run, with their
 * folded form, for pseudonymising outside SQL (the key never enters DuckDB). Distinct raw values first, so the
 * folding runs once per person, not once per row; most files of a run name people an earlier file named.
 */
export function participantRefsSql(entity: EntityName): string | null {
  const column = participantRefColumn(entity);
  if (!column) return null;
  // No filter on ref here: DuckDB would push it below the DISTINCT and fold every row. Unusable refs
  // (ref NULL) are skipped by the caller and rejected by the checks. The rows are matched to the pseudonyms
  // before DISTINCT: probing a small hash table is cheaper than building a large one.
  const r = `s.${q(column.contractName)}`;
  return `SELECT raw, parse_ref_text(fold_width(raw)) AS ref FROM (
  SELECT DISTINCT ${r} AS raw FROM _stage s ANTI JOIN _pseudonyms p ON p.raw = ${r} WHERE ${r} IS NOT NULL
)`;
}

/** Separators of packedParticipantRefsSql: a usable ref has no control characters, so neither does its raw text. */
export const PACKED_REFS = { record: '\x1e', unit: '\x1f' } as const;

/**
 * participantRefsSql's usable refs as one text value, `raw␟ref` records joined by ␞: one value crosses into
 * JavaScript instead of a row object per person.
 */
export function packedParticipantRefsSql(entity: EntityName): string | null {
  const refs = participantRefsSql(entity);
  return refs && `SELECT string_agg(raw || chr(31) || ref, chr(30)) FILTER (WHERE ref IS NOT NULL) AS packed FROM (${refs})`;
}

function participantRefColumn(entity: EntityName): WarehouseColumn | undefined {
  return storedColumns(getEntity(entity)).find((c) => c.spec.kind === 'participant_ref');
}

/** Adds `$packed`, `raw␟participant_id` records joined by ␞ (PACKED_REFS), to `_pseudonyms`. */
export const INSERT_PACKED_PSEUDONYMS = `INSERT INTO _pseudonyms
SELECT split_part(pair, chr(31), 1), split_part(pair, chr(31), 2)::UUID FROM (SELECT unnest(string_split($packed, chr(30))) AS pair)`;

/** Raw reference as written → pseudonymous participant_id, for every file of a run (the table lives as long as its connection). */
export const PSEUDONYM_TABLE_DDL = 'CREATE TEMP TABLE IF NOT EXISTS _pseudonyms (raw VARCHAR NOT NULL, participant_id UUID NOT NULL)';

/**
 * Key column (contract name) referenced by another entity: its only key column. It is unique in raw.<entity> (a load
 * rejects repeated keys and supersedes the rows of earlier loads by key), so a join to it needs no DISTINCT; were it
 * ever not, rows would be counted twice and the load's count check (loaded + rejected = read) would stop the run.
 */
function referencedKey(target: EntityName): WarehouseColumn {
  const entity = getEntity(target);
  const [key] = entity.key;
  return storedColumns(entity).find((c) => c.contractName === key)!;
}

/**
 * Columns whose values not in canonical form need a parser (checkedSql's `parse` option): every column with a
 * canonical form but the participant reference (whose pseudonym is its reading). Bit i of `_checked._slow` stands
 * for the i-th of them.
 */
export function deferrableColumns(entity: EntityName): string[] {
  return storedColumns(getEntity(entity)).filter((c) => c.spec.canonical && c.spec.kind !== 'participant_ref').map((c) => c.contractName);
}

export interface CheckOptions {
  /**
   * Columns whose values not in canonical form are parsed (default: all). The others' are left unread, with their bit
   * set in `_slow`, for a second pass over those rows only: a clean file never plans the date and era parsers.
   */
  parse?: ReadonlySet<string>;
  /** Check again, into `_rechecked`, only the rows of `_checked` with a bit in `_slow`. */
  recheck?: boolean;
  /** The file was decoded from Shift_JIS, whose byte 0x5C is the yen sign: yen columns read `\` as `¥` (cp932_yen_sign). */
  backslashIsYen?: boolean;
}

export function checkedSql(entity: EntityName, options: CheckOptions = {}): string {
  const def = getEntity(entity);
  const columns = storedColumns(def);
  const deferrable = deferrableColumns(entity);
  const deferred = (c: WarehouseColumn) => deferrable.includes(c.contractName) && options.parse !== undefined && !options.parse.has(c.contractName);
  const refColumn = columns.find((c) => c.spec.kind === 'participant_ref');
  // A participant reference is checked on the person, not the row: `known` comes with the pseudonym, so the file's
  // rows are joined once, to the run's pseudonyms, which are few and already joined to raw.participants.
  const participantsReferenced = refColumn !== undefined && def.references[refColumn.contractName] === 'participants';
  const pseudonyms = participantsReferenced
    ? `(SELECT p.raw, p.participant_id, k.k IS NOT NULL AS known FROM _pseudonyms p LEFT JOIN (SELECT ${q(referencedKey('participants').name)} AS k FROM ${qualified('raw', 'participants')}) k ON k.k = p.participant_id)`
    : '_pseudonyms';
  const pseudonymJoin = refColumn ? `LEFT JOIN ${pseudonyms} p ON p.raw = s.${q(refColumn.contractName)}` : '';
  const refJoins = Object.entries(def.references)
    .filter(([column]) => !(participantsReferenced && column === refColumn.contractName))
    .map(([column, target], i) => {
      const key = referencedKey(target as EntityName);
      return { column, target: target as EntityName, alias: `ref${i}`, sql: `LEFT JOIN (SELECT ${q(key.name)} AS k FROM ${qualified('raw', target as string)}) ref${i} ON ref${i}.k = t.${q(column)}` };
    });

  // Projections in steps, each naming what the next one uses, so every expression is written (and planned) once:
  //   c: the raw text and a cheap reading of it (the pseudonym, for a participant reference);
  //   k: whether the raw text is the canonical spelling of that reading (most values of a clean export);
  //   f: the folded text (fold_width), only for values not in canonical form;
  //   t: the typed value, and whether the raw value is blank (NULL, empty, NA ...).
  // DuckDB macros expand textually: parsing fold_width(raw) directly would copy fold_width into every branch of
  // the parsers, and the query would take longer to plan than a small file takes to check.
  const stepC = columns.flatMap((c) => {
    const r = `s.${q(c.contractName)}`;
    const fastValue = c.spec.kind === 'participant_ref' ? 'p.participant_id' : c.spec.canonical ? c.spec.canonical.value(r) : 'NULL';
    return [`${r} AS ${raw(c.contractName)}`, `${fastValue} AS ${fast(c.contractName)}`];
  });
  const stepK = columns.map((c) => {
    const exact = c.spec.kind === 'participant_ref' ? `${fast(c.contractName)} IS NOT NULL` : c.spec.canonical ? c.spec.canonical.exact(fast(c.contractName), raw(c.contractName)) : 'false';
    return `coalesce(${exact}, false) AS ${canon(c.contractName)}`;
  });
  const unfolded = (c: WarehouseColumn) => (options.backslashIsYen && c.spec.kind === 'yen' ? `cp932_yen_sign(${raw(c.contractName)})` : raw(c.contractName));
  const stepF = columns.map((c) => `CASE WHEN ${canon(c.contractName)} THEN NULL ELSE fold_width(${unfolded(c)}) END AS ${folded(c.contractName)}`);
  const stepT = columns.flatMap((c) => {
    // A participant_ref without a pseudonym is unusable: pseudonymise parsed every distinct reference.
    const slow = c.spec.kind === 'participant_ref' || deferred(c) ? 'NULL' : c.spec.parse(folded(c.contractName));
    return [
      `CASE WHEN ${canon(c.contractName)} THEN ${fast(c.contractName)} ELSE ${slow} END AS ${q(c.contractName)}`,
      `NOT ${canon(c.contractName)} AND ${folded(c.contractName)} IS NULL AS ${blank(c.contractName)}`,
    ];
  });

  const errors = columns.map((c) => {
    const v = `t.${q(c.contractName)}`;
    const whens: string[] = [];
    const invalid = problem('invalid', c.spec.formatReason);
    // A required column without a value has no other error; an optional one may still break a row rule.
    if (c.spec.optional) whens.push(`WHEN ${v} IS NULL AND NOT t.${blank(c.contractName)} THEN ${invalid}`);
    else whens.push(`WHEN ${v} IS NULL THEN CASE WHEN t.${blank(c.contractName)} THEN ${problem('missing', 'required value is missing')} ELSE ${invalid} END`);
    for (const rule of c.spec.rules) whens.push(`WHEN ${rule.bad(v)} THEN ${problem('invalid', rule.reason)}`);
    for (const rule of def.rules.filter((r) => r.column === c.contractName)) {
      whens.push(`WHEN ${qualifyColumns(rule.bad, columns)} THEN ${problem('rule', rule.reason)}`);
    }
    const unknown = (what: string) => problem('reference', `unknown ${c.contractName}: no ${what} with this ${c.contractName} has been loaded`);
    if (participantsReferenced && c === refColumn) whens.push(`WHEN ${v} IS NOT NULL AND NOT t._known THEN ${unknown('participant')}`);
    for (const ref of refJoins.filter((r) => r.column === c.contractName)) {
      whens.push(`WHEN ${v} IS NOT NULL AND ${ref.alias}.k IS NULL THEN ${unknown(ref.target.replace(/s$/, ''))}`);
    }
    return `CASE ${whens.join(' ')} END AS ${err(c.contractName)}`;
  });

  // Bit i of _slow: the i-th deferrable column holds a value that is neither canonical nor blank, and was not parsed.
  const slowBits = deferrable.flatMap((name, i) => {
    const c = columns.find((col) => col.contractName === name)!;
    return deferred(c) ? [`CASE WHEN NOT ${canon(name)} AND ${folded(name)} IS NOT NULL THEN ${2 ** i} ELSE 0 END`] : [];
  });
  const slowMask = slowBits.length > 0 ? slowBits.join(' + ') : '0';

  // Raw text is not kept in _checked: the rejects read it back from _stage for the rows that need it.
  // _key_hash serves the duplicate check (dupsSql).
  const known = participantsReferenced ? ', p.known AS _known' : '';
  const staged = options.recheck ? '(SELECT * FROM _stage WHERE _row IN (SELECT _row FROM _checked WHERE _slow <> 0))' : '_stage';
  return `CREATE OR REPLACE TEMP TABLE ${options.recheck ? '_rechecked' : '_checked'} AS
WITH c AS (
  SELECT s._row${known}, ${stepC.join(',\n    ')}
  FROM ${staged} s ${pseudonymJoin}
), k AS (
  SELECT *, ${stepK.join(',\n    ')}
  FROM c
), f AS (
  SELECT *, ${stepF.join(',\n    ')}
  FROM k
), t AS (
  SELECT _row${participantsReferenced ? ', _known' : ''}, (${slowMask})::INTEGER AS _slow, ${stepT.join(',\n    ')}
  FROM f
)
SELECT t._row, ${columns.map((c) => `t.${q(c.contractName)}`).join(', ')},
  hash(${def.key.map((k) => `t.${q(k)}`).join(', ')}) AS _key_hash, t._slow,
  ${errors.join(',\n  ')}
FROM t ${refJoins.map((r) => r.sql).join('\n')}`;
}

/** Quotes column names in a row rule as columns of `t`. */
function qualifyColumns(sql: string, columns: WarehouseColumn[]): string {
  return columns.reduce((acc, c) => acc.replaceAll(q(c.contractName), `t.${q(c.contractName)}`), sql);
}

/** The contract columns of `_slow`'s bits. */
export function slowColumns(entity: EntityName, mask: number): Set<string> {
  return new Set(deferrableColumns(entity).filter((_, i) => (mask & (2 ** i)) !== 0));
}

/** Replaces the rows of `_checked` that a second pass parsed (see CheckOptions). */
export const MERGE_RECHECKED = ['DELETE FROM _checked WHERE _slow <> 0', 'INSERT INTO _checked SELECT * FROM _rechecked', 'DROP TABLE _rechecked'];

function cleanCondition(entity: EntityName): string {
  return storedColumns(getEntity(entity)).map((c) => `${err(c.contractName)} IS NULL`).join(' AND ');
}

/**
 * Rows repeating the natural key of an earlier clean row of the file; the first one stays.
 * Candidates are rows whose 64-bit hash of the key equals the next smaller one in hash order (DuckDB sorts
 * millions of hashes faster than it groups them: 0.07 against 0.11 s for 2 M rows, 0.78 against 1.35 s for 20 M),
 * then compared on the key itself, so a hash collision cannot make two different keys duplicates.
 */
export function dupsSql(entity: EntityName): string {
  const key = getEntity(entity).key.map((k) => q(k)).join(', ');
  const clean = cleanCondition(entity);
  return `CREATE OR REPLACE TEMP TABLE _dups AS
WITH candidates AS (
  SELECT _row, ${key} FROM _checked
  WHERE ${clean} AND _key_hash IN (
    SELECT _key_hash FROM (SELECT _key_hash, lag(_key_hash) OVER (ORDER BY _key_hash) AS previous FROM _checked WHERE ${clean})
    WHERE _key_hash = previous
  )
)
SELECT _row, first_row FROM (
  SELECT _row, min(_row) OVER (PARTITION BY ${key}) AS first_row FROM candidates
) WHERE _row <> first_row`;
}

export function rejectsSql(entity: EntityName): string {
  const def = getEntity(entity);
  const columns = storedColumns(def);
  // Rejected rows only (few), then their raw text from _stage.
  const bad = `SELECT c.* EXCLUDE (_key_hash), ${columns.map((col) => `s.${q(col.contractName)} AS ${raw(col.contractName)}`).join(', ')}
  FROM (SELECT * FROM _checked WHERE NOT (${cleanCondition(entity)}) UNION ALL SELECT * FROM _checked WHERE _row IN (SELECT _row FROM _dups)) c
  JOIN _stage s USING (_row)`;
  const perColumn = columns.map(
    (c) =>
      `SELECT _row, ${quotedString(c.contractName)} AS column_name, ${raw(c.contractName)} AS raw_value, split_part(${err(c.contractName)}, '|', 1) AS problem, substr(${err(c.contractName)}, strpos(${err(c.contractName)}, '|') + 1) AS reason FROM bad WHERE ${err(c.contractName)} IS NOT NULL`,
  );
  const keyNames = def.key.join(', ');
  const keyRaw = def.key.map((k) => `coalesce(b.${raw(k)}, '')`).join(", ' | ', ");
  const duplicates = `SELECT d._row, ${quotedString(keyNames)}, concat(${keyRaw}), 'duplicate', 'duplicate of row ' || d.first_row || ' (same ${keyNames})' FROM _dups d JOIN bad b USING (_row)`;
  const unreadable = "SELECT _row, column_name, raw_value, 'unreadable', reason FROM _source_rejects";
  return `CREATE OR REPLACE TEMP TABLE _rejects AS
WITH bad AS (
  ${bad}
)
${[...perColumn, duplicates, unreadable].join('\nUNION ALL\n')}`;
}

export function goodSql(entity: EntityName): string {
  const names = storedColumns(getEntity(entity)).map((c) => `CAST(${q(c.contractName)} AS ${c.sqlType}) AS ${q(c.name)}`);
  return `CREATE OR REPLACE TEMP VIEW _good AS
SELECT ${names.join(', ')}, _row AS source_row FROM _checked
WHERE ${cleanCondition(entity)} AND _row NOT IN (SELECT _row FROM _dups)`;
}

/** Deletes the rows a load supersedes (same natural key); the count is rows_superseded. */
export function supersedeSql(entity: EntityName): string {
  const def = getEntity(entity);
  const columns = storedColumns(def);
  const keyCols = def.key.map((k) => columns.find((c) => c.contractName === k)!.name);
  const on = keyCols.map((k) => `t.${q(k)} = g.${q(k)}`).join(' AND ');
  return `DELETE FROM ${qualified('raw', entity)} t USING _good g WHERE ${on}`;
}

export function insertSql(entity: EntityName): string {
  const names = storedColumns(getEntity(entity)).map((c) => q(c.name));
  return `INSERT INTO ${qualified('raw', entity)} (${[...names, 'load_id', 'source_row'].join(', ')})
SELECT ${names.join(', ')}, $load_id, source_row FROM _good`;
}

