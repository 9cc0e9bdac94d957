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
 * The distinct participant references of the file as written, with their folded form, for
 * pseudonymising outside SQL (the key never enters DuckDB). Distinct raw values first, so the
 * folding runs once per person, not once per row.
 */
export function participantRefsSql(entity: EntityName): string | null {
  const column = participantRefColumn(entity);
  if (!column) return null;
  // No filter on ref here: DuckDB would push it below the DISTINCT and fold every row. Unusable refs
  // (ref NULL) are skipped by the caller and rejected by the checks.
  return `SELECT raw, parse_ref_text(fold_width(raw)) AS ref FROM (SELECT DISTINCT ${q(column.contractName)} AS raw FROM _stage WHERE ${q(column.contractName)} IS NOT NULL)`;
}

function participantRefColumn(entity: EntityName): WarehouseColumn | undefined {
  return storedColumns(getEntity(entity)).find((c) => c.spec.kind === 'participant_ref');
}

/** Raw reference as written → pseudonymous participant_id. */
export const PSEUDONYM_TABLE_DDL = 'CREATE OR REPLACE TEMP TABLE _pseudonyms (raw VARCHAR PRIMARY KEY, participant_id VARCHAR NOT NULL)';

/** Key column (contract name) referenced by another entity: its only key column. */
function referencedKey(target: EntityName): WarehouseColumn {
  const entity = getEntity(target);
  const [key] = entity.key;
  return storedColumns(entity).find((c) => c.contractName === key)!;
}

export function checkedSql(entity: EntityName): string {
  const def = getEntity(entity);
  const columns = storedColumns(def);
  // A value in canonical form is read from the raw text; any other is folded (fold_width) and parsed.
  // Folding is only needed for those, and to tell a blank value from an unreadable one.
  const typed = columns.map((c) => {
    if (c.spec.kind === 'participant_ref') return `p.participant_id AS ${q(c.contractName)}`;
    const r = `s.${q(c.contractName)}`;
    const slow = c.spec.parse(`fold_width(${r})`);
    const expr = c.spec.canonical ? `CASE WHEN ${c.spec.canonical.test(r)} THEN ${c.spec.canonical.value(r)} ELSE ${slow} END` : slow;
    return `${expr} AS ${q(c.contractName)}`;
  });
  const raws = columns.map((c) => `s.${q(c.contractName)} AS ${raw(c.contractName)}`);
  const refColumn = columns.find((c) => c.spec.kind === 'participant_ref');
  const pseudonymJoin = refColumn ? `LEFT JOIN _pseudonyms p ON p.raw = s.${q(refColumn.contractName)}` : '';
  const refJoins = Object.entries(def.references).map(([column, target], i) => {
    const key = referencedKey(target as EntityName);
    return { column, target: target as EntityName, alias: `ref${i}`, sql: `LEFT JOIN (SELECT DISTINCT ${q(key.name)} AS k FROM ${qualified('raw', target as string)}) ref${i} ON ref${i}.k = t.${q(column)}` };
  });

  const errors = columns.map((c) => {
    const v = `t.${q(c.contractName)}`;
    const whens: string[] = [];
    const blank = `fold_width(t.${raw(c.contractName)}) IS NULL`;
    if (!c.spec.optional) whens.push(`WHEN ${v} IS NULL AND ${blank} THEN ${problem('missing', 'required value is missing')}`);
    whens.push(`WHEN ${v} IS NULL AND NOT ${blank} THEN ${problem('invalid', c.spec.formatReason)}`);
    for (const rule of c.spec.rules) whens.push(`WHEN ${rule.bad(v)} THEN ${problem('invalid', rule.reason)}`);
    for (const rule of def.rules.filter((r) => r.column === c.contractName)) {
      whens.push(`WHEN ${qualifyColumns(rule.bad, columns)} THEN ${problem('rule', rule.reason)}`);
    }
    for (const ref of refJoins.filter((r) => r.column === c.contractName)) {
      const what = c.spec.kind === 'participant_ref' ? 'participant' : ref.target.replace(/s$/, '');
      whens.push(`WHEN ${v} IS NOT NULL AND ${ref.alias}.k IS NULL THEN ${problem('reference', `unknown ${c.contractName}: no ${what} with this ${c.contractName} has been loaded`)}`);
    }
    return `CASE ${whens.join(' ')} END AS ${err(c.contractName)}`;
  });

  // Raw text is not kept in _checked: the rejects read it back from _stage for the rows that need it.
  // _key_hash serves the duplicate check (dupsSql).
  return `CREATE OR REPLACE TEMP TABLE _checked AS
WITH t AS (
  SELECT s._row, ${[...raws, ...typed].join(',\n    ')}
  FROM _stage s ${pseudonymJoin}
)
SELECT t.* EXCLUDE (${columns.map((c) => raw(c.contractName)).join(', ')}),
  hash(${def.key.map((k) => `t.${q(k)}`).join(', ')}) AS _key_hash,
  ${errors.join(',\n  ')}
FROM t ${refJoins.map((r) => r.sql).join('\n')}`;
}

/** Quotes column names in a row rule as columns of `t`. */
function qualifyColumns(sql: string, columns: WarehouseColumn[]): string {
  return columns.reduce((acc, c) => acc.replaceAll(q(c.contractName), `t.${q(c.contractName)}`), sql);
}

function cleanCondition(entity: EntityName): string {
  return storedColumns(getEntity(entity)).map((c) => `${err(c.contractName)} IS NULL`).join(' AND ');
}

/**
 * Rows repeating the natural key of an earlier clean row of the file; the first one stays.
 * Candidates are found by grouping on one 64-bit hash of the key (fast on millions of rows), then
 * compared on the key itself, so a hash collision cannot make two different keys duplicates.
 */
export function dupsSql(entity: EntityName): string {
  const key = getEntity(entity).key.map((k) => q(k)).join(', ');
  const clean = cleanCondition(entity);
  return `CREATE OR REPLACE TEMP TABLE _dups AS
WITH candidates AS (
  SELECT _row, ${key} FROM _checked
  WHERE ${clean} AND _key_hash IN (SELECT _key_hash FROM _checked WHERE ${clean} GROUP BY 1 HAVING count(*) > 1)
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

