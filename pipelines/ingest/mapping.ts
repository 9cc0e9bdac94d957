// Column mapping: which source header feeds which contract column. A mapping file (YAML or JSON,
// validated here) covers sources whose headers the contract's own aliases do not, e.g. a payroll
// system's export; otherwise headers match the contract name or one of its listed aliases.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { minimatch } from 'minimatch';
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { specOf } from '../contract/columns.ts';
import { entities, entityNames, getEntity, type EntityName } from '../contract/entities.ts';

const sourceRule = z.strictObject({
  match: z.string().min(1).describe('Glob on the file name, e.g. "payroll-*.csv".'),
  entity: z.enum(entityNames as [EntityName, ...EntityName[]]).optional(),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
  header_row: z.number().int().min(1).optional().describe('CSV and Excel: row of the header (1 = the first row), when it is not found: rows above it are skipped.'),
  columns: z.record(z.string(), z.string()).default({}).describe('Source header → contract column.'),
  defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}).describe('Contract column → constant value, for columns the source lacks.'),
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}).describe('Contract column → (source value → contract value).'),
});

export const mappingFileSchema = z.strictObject({
  version: z.literal(1),
  sources: z.array(sourceRule).min(1),
});

export type MappingFile = z.infer<typeof mappingFileSchema>;
export type SourceRule = z.infer<typeof sourceRule>;

/**
 * Aliases (*name) a mapping file may expand: a few keep a long file short, but nested ones grow exponentially ("billion
 * laughs": nine lines that expand to a billion values).
 */
const MAX_ALIAS_EXPANSIONS = 20;

/** Reads and checks a mapping file (YAML, or JSON, which YAML reads too); every error is one sentence naming the file and line. */
export function readMappingFile(path: string): MappingFile {
  const name = basename(path);
  const fail = (detail: string) => new Error(`${name}: the mapping file ${detail}.`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fail(`could not be read (${(error as { code?: string }).code === 'ENOENT' ? 'it does not exist' : String((error as Error).message)})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  const syntax = doc.errors[0];
  if (syntax) {
    const [line, column] = syntax.linePos?.[0] ? [syntax.linePos[0].line, syntax.linePos[0].col] : [lineOf(syntax.pos[0]), undefined];
    throw fail(`is not valid YAML at line ${line}${column ? `, column ${column}` : ''}: ${syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw fail(`expands its YAML aliases (*name) more than ${MAX_ALIAS_EXPANSIONS} times, as a file built to exhaust memory does; write the values out instead`);
  }
  const result = mappingFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const at = pathText(issue.path);
      return `${issue.message}${at ? ` in ${at}` : ''} (line ${lineOf(nodeOffset(doc, issue.path, key)) ?? 1})`;
    });
    throw fail(`is not valid: ${problems.join('; ')}`);
  }
  result.data.sources.forEach((rule, index) => {
    if (!rule.entity) return;
    const known = new Set(Object.keys(getEntity(rule.entity).schema.shape));
    const targets: Array<[string, Array<string | number>]> = [
      ...Object.entries(rule.columns).map(([header, column]): [string, Array<string | number>] => [column, ['sources', index, 'columns', header]]),
      ...Object.keys(rule.defaults).map((column): [string, Array<string | number>] => [column, ['sources', index, 'defaults']]),
      ...Object.keys(rule.values).map((column): [string, Array<string | number>] => [column, ['sources', index, 'values']]),
    ];
    for (const [target, at] of targets) {
      if (!known.has(target)) {
        const key = at.length === 3 ? target : undefined;
        throw fail(`maps onto "${target}", which is not a column of ${rule.entity} (line ${lineOf(nodeOffset(doc, at, key)) ?? 1})`);
      }
    }
  });
  return result.data;
}

/** Where in the text the value at `path` starts (or the key `key` of the map there); the nearest enclosing node if none. */
function nodeOffset(doc: Document, path: ReadonlyArray<PropertyKey>, key?: string): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as Array<string | number>, true);
    if (!isNode(node)) continue;
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair && isNode(pair.key)) return pair.key.range?.[0];
    }
    return node.range?.[0];
  }
  return undefined;
}

/** sources[0].columns, as a person reads a path. */
function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

export function ruleFor(mapping: MappingFile | undefined, file: string): SourceRule | undefined {
  return mapping?.sources.find((rule) => minimatch(basename(file), rule.match, { nocase: true }));
}

/** Header spelling that ignores case, width, spaces and hyphens: "Participant Ref" = "participant_ref". */
export function normaliseHeader(header: string): string {
  return header.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Headers that name a direct identifier in any entity (氏名, email, 電話番号 …): never read, whatever the file. */
const DIRECT_IDENTIFIER_HEADERS = new Set(
  Object.values(entities).flatMap((entity) =>
    Object.entries(entity.schema.shape).flatMap(([column, schema]) => {
      const spec = specOf(schema);
      return spec.kind === 'direct_identifier' ? [column, ...(spec.headers ?? [])].map(normaliseHeader) : [];
    }),
  ),
);

export interface ColumnBinding {
  column: string;
  /** Source header feeding it, or null when a default fills it or it is absent (optional). */
  header: string | null;
  default?: string;
  values?: Record<string, string>;
}

export interface ResolvedMapping {
  bindings: ColumnBinding[];
  /** Source headers not used (dropped before staging), with why. */
  dropped: Array<{ header: string; why: 'direct identifier' | 'not in the contract' | 'mapped from another header' }>;
  missing: Array<{ column: string; lookedFor: string[] }>;
  /**
   * Contract columns more than one source header could feed (月収 and gross_income_jpy): the file is refused. `mapped`
   * when the mapping file names each of them for the column.
   */
  conflicts: Array<{ column: string; headers: string[]; mapped?: true }>;
}

/** Binds every contract column of `entity` to a header of the file (direct identifiers bind to nothing). */
export function resolveColumns(entity: EntityName, headers: string[], rule?: SourceRule): ResolvedMapping {
  const shape = getEntity(entity).schema.shape;
  // A mapping may name several headers for one column (the exports it matches spell it differently); a file that has
  // more than one of them is refused like any other two columns for one contract column.
  const explicit = new Map<string, string[]>();
  for (const [header, column] of Object.entries(rule?.columns ?? {})) explicit.set(column, [...(explicit.get(column) ?? []), header]);
  const mappedHeaders = new Set(Object.keys(rule?.columns ?? {}).filter((h) => headers.includes(h)));
  const byNormal = new Map<string, string[]>();
  for (const h of headers) byNormal.set(normaliseHeader(h), [...(byNormal.get(normaliseHeader(h)) ?? []), h]);
  const used = new Set<string>();
  const shadowed = new Set<string>(); // headers a column could take, which the mapping file feeds from another
  const bindings: ColumnBinding[] = [];
  const missing: ResolvedMapping['missing'] = [];
  const conflicts: ResolvedMapping['conflicts'] = [];

  for (const [column, schema] of Object.entries(shape)) {
    const spec = specOf(schema);
    if (spec.kind === 'direct_identifier') continue;
    const candidates = [column, ...(spec.headers ?? [])];
    const explicitHeaders = explicit.get(column);
    const mappedHere = (explicitHeaders ?? []).filter((h) => headers.includes(h));
    // Every header that spells a name of this column (and that no earlier column or explicit mapping took).
    const matching = [...new Set(candidates.flatMap((c) => byNormal.get(normaliseHeader(c)) ?? []))].filter((h) => !used.has(h) && !mappedHeaders.has(h));
    let header: string | null;
    if (mappedHere.length > 0) {
      header = mappedHere[0]!;
      for (const h of matching) shadowed.add(h);
      if (mappedHere.length > 1) conflicts.push({ column, headers: mappedHere, mapped: true });
    } else {
      header = matching[0] ?? null;
      if (matching.length > 1) conflicts.push({ column, headers: matching });
    }
    if (header) used.add(header);
    const fallback = rule?.defaults[column];
    const binding: ColumnBinding = { column, header, values: rule?.values[column] };
    if (!header && fallback !== undefined) binding.default = String(fallback);
    if (!header && fallback === undefined && !spec.optional) {
      missing.push({ column, lookedFor: explicitHeaders ?? candidates });
    }
    bindings.push(binding);
  }
  const dropped = headers.filter((h) => !used.has(h)).map((header) => ({
    header,
    why: DIRECT_IDENTIFIER_HEADERS.has(normaliseHeader(header))
      ? ('direct identifier' as const)
      : shadowed.has(header) ? ('mapped from another header' as const) : ('not in the contract' as const),
  }));
  return { bindings, dropped, missing, conflicts };
}

/**
 * How well a row of a file fits as its header: null if it lacks a required column, else the number of contract
 * columns it feeds (for ReadOptions.headerFit).
 */
export function headerFit(entity: EntityName, headers: string[], rule?: SourceRule): number | null {
  const resolved = resolveColumns(entity, headers, rule);
  return resolved.missing.length > 0 ? null : resolved.bindings.filter((b) => b.header !== null).length;
}
