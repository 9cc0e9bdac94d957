// Column mapping: which source header feeds which contract column. A mapping file (YAML or JSON,
// validated here) covers sources whose headers the contract's own aliases do not, e.g. a payroll
// system's export; otherwise headers match the contract name or one of its listed aliases.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { minimatch } from 'minimatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { specOf } from '../contract/columns.ts';
import { entities, entityNames, getEntity, type EntityName } from '../contract/entities.ts';

const sourceRule = z.strictObject({
  match: z.string().min(1).describe('Glob on the file name, e.g. "payroll-*.csv".'),
  entity: z.enum(entityNames as [EntityName, ...EntityName[]]).optional(),
  encoding: z.string().optional(),
  sheet: z.string().optional(),
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

export function readMappingFile(path: string): MappingFile {
  const text = readFileSync(path, 'utf8');
  const data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  const result = mappingFileSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`The mapping file ${basename(path)} is not valid: ${z.prettifyError(result.error)}`);
  }
  for (const rule of result.data.sources) {
    if (!rule.entity) continue;
    const known = new Set(Object.keys(getEntity(rule.entity).schema.shape));
    for (const target of [...Object.values(rule.columns), ...Object.keys(rule.defaults), ...Object.keys(rule.values)]) {
      if (!known.has(target)) throw new Error(`The mapping file ${basename(path)} maps onto "${target}", which is not a column of ${rule.entity}.`);
    }
  }
  return result.data;
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
  dropped: Array<{ header: string; why: 'direct identifier' | 'not in the contract' }>;
  missing: Array<{ column: string; lookedFor: string[] }>;
}

/** Binds every contract column of `entity` to a header of the file (direct identifiers bind to nothing). */
export function resolveColumns(entity: EntityName, headers: string[], rule?: SourceRule): ResolvedMapping {
  const shape = getEntity(entity).schema.shape;
  const explicit = new Map(Object.entries(rule?.columns ?? {}).map(([header, column]) => [column, header]));
  const byNormal = new Map(headers.map((h) => [normaliseHeader(h), h]));
  const used = new Set<string>();
  const bindings: ColumnBinding[] = [];
  const missing: ResolvedMapping['missing'] = [];

  for (const [column, schema] of Object.entries(shape)) {
    const spec = specOf(schema);
    if (spec.kind === 'direct_identifier') continue;
    const candidates = [column, ...(spec.headers ?? [])];
    const explicitHeader = explicit.get(column);
    const header = explicitHeader !== undefined && headers.includes(explicitHeader)
      ? explicitHeader
      : candidates.map((c) => byNormal.get(normaliseHeader(c))).find((h) => h !== undefined && !used.has(h)) ?? null;
    if (header) used.add(header);
    const fallback = rule?.defaults[column];
    const binding: ColumnBinding = { column, header, values: rule?.values[column] };
    if (!header && fallback !== undefined) binding.default = String(fallback);
    if (!header && fallback === undefined && !spec.optional) {
      missing.push({ column, lookedFor: explicitHeader ? [explicitHeader] : candidates });
    }
    bindings.push(binding);
  }
  const dropped = headers
    .filter((h) => !used.has(h))
    .map((header) => ({ header, why: DIRECT_IDENTIFIER_HEADERS.has(normaliseHeader(header)) ? ('direct identifier' as const) : ('not in the contract' as const) }));
  return { bindings, dropped, missing };
}
