// impact build: runs the SQL models layer by layer (staging → core → marts) as of a reporting date.
// A model is one .sql file holding a SELECT; its header (YAML in `--` comments) documents the table
// and every column, and becomes COMMENT ON in the warehouse. The build refuses an undocumented column.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, queryValue } from '../db/connection.ts';
import { isIsoDate } from '../iso-date.ts';
import { qualified, quotedIdentifier, quotedString } from '../sql.ts';
import { buildSql } from '../warehouse/meta-sql.ts';
import { assertWarehouse } from '../warehouse/paths.ts';
import { loadsSnapshotSha256 } from '../warehouse/snapshot.ts';
import { withWarehouseWrite } from '../warehouse/write.ts';
import { incomeDataEnd } from './as-of.ts';
import { writeReferenceTables } from './reference-tables.ts';

export const LAYERS = ['staging', 'core', 'marts'] as const;

const modelDocSchema = z.strictObject({
  description: z.string().min(1),
  columns: z.record(z.string(), z.string().min(1)),
});

export type Layer = (typeof LAYERS)[number];

export interface Model {
  layer: Layer;
  name: string;
  file: string;
  /** The SQL of a SQL model, or the tables a TypeScript model declares it reads: scanned for dependencies. */
  reads: string;
  description: string;
  columns: Record<string, string>;
  /** Creates (or replaces) the table `layer.name` on the build connection. */
  run: (conn: DuckDBConnection, table: string) => Promise<void>;
}

/**
 * What a TypeScript model module exports as `model`: for computations SQL does badly (iterative
 * solvers, seeded simulation). It must create `table` itself, deterministically for a given as-of date.
 */
export interface TsModelDefinition {
  description: string;
  columns: Record<string, string>;
  /** Tables it reads (schema.table), for ordering and the layering test. */
  reads: string[];
  build: (conn: DuckDBConnection, table: string) => Promise<void>;
}

const MODELS_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * A model's header is `-- description: …` then `-- columns:` and one `--   name: meaning` line per
 * column (plain text after the first colon, so prose may contain colons).
 */
export function parseSqlModel(layer: Layer, file: string): Model {
  const text = readFileSync(file, 'utf8');
  const header = text.match(/^(?:--.*\n)+/)?.[0] ?? '';
  let description = '';
  const columns: Record<string, string> = {};
  for (const line of header.split('\n').map((l) => l.replace(/^--/, ''))) {
    const column = line.match(/^\s{2,}(\w+):\s*(.+)$/);
    const top = line.match(/^\s?description:\s*(.+)$/);
    if (column) columns[column[1]!] = column[2]!;
    else if (top) description = top[1]!;
  }
  const doc = modelDocSchema.safeParse({ description, columns });
  if (!doc.success) throw new Error(`The header of model ${basename(file)} must document the table and its columns: ${z.prettifyError(doc.error)}`);
  const sql = text.slice(header.length).trim().replace(/;\s*$/, '');
  return { layer, name: basename(file, '.sql'), file, reads: sql, ...doc.data, run: (conn, table) => conn.run(`CREATE OR REPLACE TABLE ${table} AS ${sql}`).then(() => {}) };
}

async function loadTsModel(layer: Layer, file: string): Promise<Model> {
  const { model } = (await import(pathToFileURL(file).href)) as { model?: TsModelDefinition };
  const doc = modelDocSchema.safeParse({ description: model?.description, columns: model?.columns });
  if (!model || !doc.success) throw new Error(`${basename(file)} must export a documented \`model\` (description, columns, reads, build).`);
  return { layer, name: basename(file, '.ts'), file, reads: model.reads.join(' '), ...doc.data, run: model.build };
}

/** Models of a layer ordered so that each comes after the models of the same layer it reads. */
function orderWithinLayer(models: Model[]): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const ordered: Model[] = [];
  const visiting = new Set<string>();
  const visit = (m: Model) => {
    if (ordered.includes(m)) return;
    if (visiting.has(m.name)) throw new Error(`Models of ${m.layer} read each other in a cycle through ${m.name}.`);
    visiting.add(m.name);
    for (const [, name] of m.reads.matchAll(new RegExp(`\\b${m.layer}\\.(\\w+)`, 'g'))) {
      const dep = byName.get(name!);
      if (dep && dep !== m) visit(dep);
    }
    visiting.delete(m.name);
    ordered.push(m);
  };
  models.forEach(visit);
  return ordered;
}

/** Every model: `.sql` files and `.ts` modules exporting `model`, by layer, in dependency order. */
export async function discoverModels(dir = MODELS_DIR): Promise<Model[]> {
  const models: Model[] = [];
  for (const layer of LAYERS) {
    const files = readdirSync(join(dir, layer)).sort();
    const layerModels = await Promise.all(
      files.flatMap((f) => {
        const file = join(dir, layer, f);
        if (f.endsWith('.sql')) return [Promise.resolve(parseSqlModel(layer, file))];
        if (f.endsWith('.ts') && !f.endsWith('.test.ts')) return [loadTsModel(layer, file)];
        return [];
      }),
    );
    models.push(...orderWithinLayer(layerModels));
  }
  return models;
}

async function buildModel(conn: DuckDBConnection, model: Model): Promise<void> {
  const table = qualified(model.layer, model.name);
  await model.run(conn, table);
  const columns = await queryRows<{ column_name: string }>(
    conn,
    'SELECT column_name FROM information_schema.columns WHERE table_schema = $s AND table_name = $t ORDER BY ordinal_position',
    { s: model.layer, t: model.name },
  );
  const actual = columns.map((c) => c.column_name);
  const undocumented = actual.filter((c) => !(c in model.columns));
  const stale = Object.keys(model.columns).filter((c) => !actual.includes(c));
  if (undocumented.length || stale.length) {
    throw new Error(`Model ${model.layer}.${model.name}: ${undocumented.length ? `undocumented columns ${undocumented.join(', ')}` : ''}${undocumented.length && stale.length ? '; ' : ''}${stale.length ? `documented columns it does not have ${stale.join(', ')}` : ''}.`);
  }
  await conn.run(`COMMENT ON TABLE ${table} IS ${quotedString(model.description.trim())}`);
  for (const c of actual) await conn.run(`COMMENT ON COLUMN ${table}.${quotedIdentifier(c)} IS ${quotedString(model.columns[c]!.trim())}`);
}

export interface BuildOptions {
  db: string;
  asOf: string;
  onModel?: (model: Model, index: number, total: number) => void;
}

export interface BuildResult {
  buildId: number;
  asOf: string;
  snapshot: string;
  models: Array<{ name: string; rows: number; ms: number }>;
  /** The end of the month of the latest income period loaded (null without income): where the data ends. */
  incomeDataEnd: string | null;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  if (!isIsoDate(options.asOf)) {
    throw new Error(`--as-of must be a date written YYYY-MM-DD, not "${options.asOf}".`);
  }
  // Only ingest creates a warehouse: a build of a mistyped --db would succeed on nothing.
  assertWarehouse(options.db);
  const models = await discoverModels();
  return withWarehouseWrite(options.db, async (conn) => {
    const startedAt = new Date().toISOString();
    const loads = await queryRows<{ sha256: string }>(conn, buildSql.loadHashes);
    const snapshot = loadsSnapshotSha256(loads.map((l) => l.sha256));
    const dataEnd = await incomeDataEnd(conn);
    await conn.run(`SET VARIABLE as_of = DATE ${quotedString(options.asOf)}`);
    await writeReferenceTables(conn);
    for (const layer of LAYERS) {
      await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quotedIdentifier(layer)}`);
    }
    const timings: BuildResult['models'] = [];
    for (const [i, model] of models.entries()) {
      options.onModel?.(model, i, models.length);
      const t0 = performance.now();
      await buildModel(conn, model);
      const rows = Number(await queryValue(conn, `SELECT count(*) FROM ${qualified(model.layer, model.name)}`));
      timings.push({ name: `${model.layer}.${model.name}`, rows, ms: Math.round(performance.now() - t0) });
    }
    const buildId = Number(await queryValue(conn, buildSql.nextId));
    await conn.run(buildSql.record, {
      id: buildId,
      as_of: options.asOf,
      snapshot,
      started: startedAt,
      models: `[${timings.map((t) => t.name).join(', ')}]`,
    });
    return { buildId, asOf: options.asOf, snapshot, models: timings, incomeDataEnd: dataEnd };
  });
}
