// The data dictionary (docs/data-dictionary.md), generated from the contract, the warehouse DDL
// and the model headers, so it cannot drift from what the code does.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { specOf } from '../contract/columns.ts';
import { CONTRACT_VERSION, entities, getEntity, type EntityName } from '../contract/entities.ts';
import { CONTRACT_ENUMS, LABELS, type Label } from '../contract/labels.ts';
import { queryRows } from '../db/connection.ts';
import { discoverModels, LAYERS } from '../models/build.ts';
import { warehouseDdl } from '../warehouse/ddl.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** A value as one markdown table cell: pipes escaped, on one line, blank for nothing. */
export const markdownCell = (v: unknown) => (v === null || v === undefined ? '' : String(v).replaceAll('|', '\\|').replaceAll('\n', ' '));

function contractSection(name: EntityName): string {
  const def = getEntity(name);
  const rows = Object.entries(def.schema.shape).map(([column, schema]) => {
    const spec = specOf(schema);
    const stored = spec.kind === 'direct_identifier' ? '— (dropped at ingest)' : spec.kind === 'participant_ref' ? '`participant_id` (pseudonym)' : `\`${column}\` ${spec.sqlType}`;
    const allowed = [spec.constraint, spec.unit ? `unit: ${spec.unit}` : undefined].filter(Boolean).join('; ');
    const headers = spec.headers?.length ? ` Also read from headers: ${spec.headers.join(', ')}.` : '';
    const shown = (LABELS.columns as Record<string, Label>)[`${name}.${column}`]!;
    const values = valueLabels(name, column);
    return `| \`${column}\` | ${markdownCell(`${shown.ja} / ${shown.en}`)} | ${spec.optional ? 'optional' : 'required'} | ${spec.kind} | ${markdownCell(allowed)} | ${markdownCell(spec.accepts)} | ${markdownCell(spec.description + headers + values)} | ${stored} |`;
  });
  const entityName = (LABELS.entity as Record<string, Label>)[name]!;
  const refs = Object.entries(def.references).map(([c, t]) => `\`${c}\` → ${t}`);
  return [
    `### ${name}`,
    '',
    `${entityName.ja} / ${entityName.en}. ${def.description}`,
    '',
    `Natural key: ${def.key.map((k) => `\`${k}\``).join(', ')}.${refs.length ? ` References: ${refs.join(', ')}.` : ''}${def.rules.length ? ` Row rules: ${def.rules.map((r) => r.reason).join('; ')}.` : ''}`,
    '',
    '| column | shown as (ja / en) | | kind | allowed / unit | accepted input | meaning | in the warehouse |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** An enum column's values as the dashboard and the reports show them (pipelines/contract/labels.ts). */
function valueLabels(entity: EntityName, column: string): string {
  const set = CONTRACT_ENUMS.find(([, e, c]) => e === entity && c === column)?.[0];
  if (!set) return '';
  const shown = Object.entries(LABELS[set] as Record<string, Label>).map(([v, l]) => `\`${v}\` ${l.ja} / ${l.en}`);
  return ` Shown as: ${shown.join('; ')}.`;
}

async function tableComments(schemas: string[]): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(warehouseDdl());
    const tables = await queryRows<{ schema_name: string; table_name: string; comment: string }>(
      conn,
      `SELECT schema_name, table_name, comment FROM duckdb_tables() WHERE schema_name IN (${schemas.map((s) => `'${s}'`).join(', ')}) ORDER BY schema_name = 'meta', schema_name, table_name`,
    );
    const columns = await queryRows<{ schema_name: string; table_name: string; column_name: string; data_type: string; comment: string }>(
      conn,
      `SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns() WHERE schema_name IN (${schemas.map((s) => `'${s}'`).join(', ')}) ORDER BY column_index`,
    );
    return tables
      .filter((t) => t.schema_name === 'meta')
      .map((t) => {
        const cols = columns.filter((c) => c.schema_name === t.schema_name && c.table_name === t.table_name);
        return [`### ${t.schema_name}.${t.table_name}`, '', t.comment, '', '| column | type | meaning |', '|---|---|---|', ...cols.map((c) => `| \`${c.column_name}\` | ${c.data_type} | ${markdownCell(c.comment)} |`)].join('\n');
      })
      .join('\n\n');
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export async function dataDictionary(): Promise<string> {
  const models = await discoverModels();
  const modelSections = LAYERS.map((layer) =>
    [
      `### Layer \`${layer}\``,
      '',
      ...models
        .filter((m) => m.layer === layer)
        .map((m) => [`#### ${m.layer}.${m.name}`, '', m.description.trim(), '', `Defined in \`${relative(ROOT, m.file)}\`.`, '', '| column | meaning |', '|---|---|', ...Object.entries(m.columns).map(([c, d]) => `| \`${c}\` | ${markdownCell(d.trim())} |`)].join('\n')),
    ].join('\n\n'),
  );
  return `# Data dictionary

Generated by \`impact docs\` from the input contract (\`pipelines/contract/entities.ts\`), the warehouse DDL and the SQL model headers. Do not edit by hand: change the source and run \`npm run docs\`. A test fails when this file is out of date.

The warehouse is one DuckDB file with these schemas:

| schema | what it holds | written by |
|---|---|---|
| \`raw\` | the input contract entities, typed, validated and pseudonymised, one table per entity | \`impact ingest\` |
| \`staging\` | the same, cut at the as-of date of the latest build | \`impact build\` |
| \`core\` | conformed tables: participants with derived attributes, employment spells, income months | \`impact build\` |
| \`marts\` | what people query: documented metrics as of the build date | \`impact build\` |
| \`ref\` | reference data (countries and regions; every local government code, \`ref.municipalities\`) | \`impact build\` |
| \`meta\` | loads, rejects (without raw values), builds | both |

Every table and column carries the text below as a DuckDB comment: \`SELECT * FROM duckdb_columns()\` shows it in any client.

## Input contract, version ${CONTRACT_VERSION}

One file per entity; the entity is taken from the file name (\`income.csv\`, \`income-2026-04.xlsx\`) or \`--entity\`. Headers match the column name (case, width, spaces and hyphens ignored), one of the listed Japanese headers, or a mapping file. Columns not in the contract are ignored; direct identifiers (name, email, phone, address) are never read.

A row is rejected, with its file, row number, column, raw value and reason, when a required value is missing, a value cannot be read as its kind, breaks a rule, names a row of another entity that has not been loaded, or repeats the natural key of an earlier row of the same file (the first one loads). A re-delivered row with the natural key of a loaded row replaces it.

${Object.keys(entities).map((e) => contractSection(e as EntityName)).join('\n\n')}

## Models

${modelSections.join('\n\n')}

## Records of loads and builds

${await tableComments(['meta'])}
`;
}
