// Which files an ingest run loads, which entity each holds, and in what order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { entityNames, isEntityName, type EntityName } from '../contract/entities.ts';
import { ruleFor, type MappingFile, type SourceRule } from './mapping.ts';

export const SOURCE_EXTENSIONS = ['.csv', '.tsv', '.txt', '.xlsx', '.parquet', '.json', '.ndjson', '.jsonl'];
const MAPPING_FILES = /^impact\.mapping\.(ya?ml|json)$/i;
const NOT_SOURCES = /^(manifest\.json|impact\.mapping\.(ya?ml|json))$/i;

export interface PlannedSource {
  file: string;
  entity: EntityName;
  rule?: SourceRule;
}

/** `income-2026-04.xlsx` → income: the longest entity name the file name starts with, then a separator or the end. */
export function entityFromFileName(file: string): EntityName | null {
  const stem = basename(file, extname(file)).toLowerCase();
  const matches = entityNames.filter((e) => stem === e || new RegExp(`^${e}[-_. ]`).test(stem));
  return matches.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** A mapping file found in one of the folders given, used when --mapping is not. */
export function findMappingFile(paths: string[]): string | undefined {
  for (const p of paths) {
    if (!existsSync(p) || !statSync(p).isDirectory()) continue;
    const found = readdirSync(p).find((n) => MAPPING_FILES.test(n));
    if (found) return join(p, found);
  }
  return undefined;
}

export interface Plan {
  sources: PlannedSource[];
  /** Files in folders that were passed over, with why. */
  skipped: Array<{ file: string; why: string }>;
}

export function planSources(paths: string[], options: { entity?: EntityName; mapping?: MappingFile }): Plan {
  const sources: PlannedSource[] = [];
  const skipped: Plan['skipped'] = [];
  const consider = (file: string, explicit: boolean) => {
    const rule = ruleFor(options.mapping, file);
    const entity = options.entity ?? rule?.entity ?? entityFromFileName(file);
    if (entity && isEntityName(entity)) {
      sources.push({ file, entity, rule });
    } else if (explicit) {
      throw new Error(`Cannot tell which entity ${basename(file)} holds: name it after one (${entityNames.join(', ')}), e.g. income-2026-04.csv, or pass --entity, or add it to a mapping file.`);
    } else {
      skipped.push({ file, why: 'its name does not start with an entity name' });
    }
  };
  for (const p of paths.map((x) => resolve(x))) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      throw new Error(`${p} does not exist.`);
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const file = join(p, name);
        if (!statSync(file).isFile() || name.startsWith('.')) continue;
        if (NOT_SOURCES.test(name)) continue;
        if (!SOURCE_EXTENSIONS.includes(extname(name).toLowerCase())) {
          skipped.push({ file, why: 'not a CSV, Excel (.xlsx), Parquet or JSON file' });
          continue;
        }
        consider(file, false);
      }
    } else {
      consider(p, true);
    }
  }
  // Referenced entities first, so a participant loaded in the same run is known to its income rows.
  // Files of one entity load oldest first (by modification time, then name), so a corrected
  // re-delivery (income-2026-04-corrected.csv) replaces the original rather than the reverse.
  const order = (e: EntityName) => entityNames.indexOf(e);
  const modified = new Map(sources.map((s) => [s.file, statSync(s.file).mtimeMs]));
  sources.sort((a, b) => order(a.entity) - order(b.entity) || modified.get(a.file)! - modified.get(b.file)! || a.file.localeCompare(b.file));
  return { sources, skipped };
}
