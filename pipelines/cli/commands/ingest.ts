import type { Command } from 'commander';
import { isEntityName, entityNames } from '../../contract/entities.ts';
import { ingest, isKeyed } from '../../ingest/ingest.ts';
import { readMappingFile } from '../../ingest/mapping.ts';
import { findMappingFile, planSources } from '../../ingest/sources.ts';
import { loadOrCreateKey } from '../../privacy/key.ts';
import { DEFAULT_DB } from '../../warehouse/paths.ts';
import { formatRows, info, progress } from '../output.ts';
import type { LoadResult } from '../../ingest/load-file.ts';
import { basename } from 'node:path';

export interface IngestCommandOptions {
  db: string;
  entity?: string;
  encoding?: string;
  mapping?: string;
  reload?: boolean;
  skipUnreadable?: boolean;
}

export async function runIngest(paths: string[], opts: IngestCommandOptions): Promise<LoadResult[]> {
  if (opts.entity && !isEntityName(opts.entity)) throw new Error(`--entity must be one of ${entityNames.join(', ')}, not "${opts.entity}".`);
  const mappingPath = opts.mapping ?? findMappingFile(paths);
  const mapping = mappingPath ? readMappingFile(mappingPath) : undefined;
  if (mappingPath) info(`Using the column mapping in ${mappingPath}.`);
  const plan = planSources(paths, { entity: opts.entity as never, mapping });
  for (const s of plan.skipped) info(`Skipped ${basename(s.file)}: ${s.why}.`);
  if (plan.sources.length === 0) throw new Error(`No source files found in ${paths.join(', ')}.`);
  const key = loadOrCreateKey(process.env, (await isKeyed(opts.db)) ? opts.db : undefined);
  if (key.created) info(`Created a new pseudonymisation key at ${key.origin}. Back it up and keep it secret: without it, later loads cannot be linked to these participants.`);
  const bar = progress('Loading', plan.sources.length);
  let finished = 0; // files load side by side and may finish in any order
  let result;
  try {
    result = await ingest(plan.sources, {
      db: opts.db,
      key,
      encoding: opts.encoding,
      reload: opts.reload,
      skipUnreadable: opts.skipUnreadable,
      onFileStart: (s) => bar.update(finished, basename(s.file)),
      onFileDone: () => bar.update(++finished, ''),
      onFileSkipped: () => bar.update(++finished, ''),
    });
  } finally {
    bar.stop();
  }
  const rows = result.results.map((r) => ({
    file: basename(r.file),
    entity: r.entity,
    load: r.alreadyLoadedAs ? `already loaded (load ${r.alreadyLoadedAs})` : r.loadId,
    read: r.rowsRead,
    loaded: r.rowsLoaded,
    rejected: r.rowsRejected,
    superseded: r.rowsSuperseded,
  }));
  console.log(formatRows(rows, 'table'));
  for (const r of result.results) {
    const header = r.source?.header;
    if (header && header.row > 1 && header.how !== 'first') {
      const skipped = header.row === 2 ? 'row 1' : `rows 1–${header.row - 1}`;
      info(`${basename(r.file)}: header ${header.how === 'given' ? 'taken from header_row' : 'found'} on row ${header.row}; ${skipped} skipped.`);
    }
    const dropped = (why: string) => r.dropped.filter((d) => d.why === why).map((d) => d.header);
    const identifiers = dropped('direct identifier');
    const others = dropped('not in the contract');
    const shadowed = dropped('mapped from another header');
    if (identifiers.length) info(`${basename(r.file)}: dropped direct identifiers ${identifiers.join(', ')} (never stored).`);
    if (others.length) info(`${basename(r.file)}: ignored columns not in the contract: ${others.join(', ')}.`);
    if (shadowed.length) info(`${basename(r.file)}: ignored ${shadowed.join(', ')}: the mapping file feeds the same contract column from another header.`);
  }
  // Files of one entity load oldest first; say so when a later one replaced rows loaded in this run.
  for (const [i, r] of result.results.entries()) {
    const earlier = result.results.slice(0, i).filter((e) => e.entity === r.entity && e.loadId !== undefined);
    if (r.rowsSuperseded > 0 && earlier.length > 0) {
      info(`${basename(r.file)} replaced ${r.rowsSuperseded} ${r.entity} rows with the same key, some perhaps loaded from ${earlier.map((e) => basename(e.file)).join(', ')} in this run (files of one entity load oldest first).`);
    }
  }
  // File names only here, on the staff's terminal: a skipped file never reaches the warehouse or the quarantine.
  for (const s of result.skipped) info(`Skipped ${basename(s.file)}, which could not be read: ${s.why}.`);
  if (result.skipped.length > 0) info(`${result.skipped.length} of ${plan.sources.length} files were skipped and nothing from them was loaded; fix them and run \`impact ingest\` again.`);
  const rejected = result.results.reduce((n, r) => n + r.rowsRejected, 0);
  if (rejected > 0) info(`${rejected} rows were rejected and kept in the quarantine; see \`impact status\` and \`impact rejects\`.`);
  info(`Warehouse: ${opts.db}`);
  return result.results;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Load source files or folders into the warehouse (all or nothing per run; bad rows are rejected and kept)')
    .argument('<paths...>', 'files or folders; the entity is taken from each file name (income-2026-04.xlsx → income)')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--entity <name>', `entity of every file given (${entityNames.join(', ')})`)
    .option('--encoding <name>', 'text encoding of CSV files: utf-8, shift_jis (cp932) or euc-jp; detected when omitted')
    .option('--mapping <file>', 'column mapping file (YAML or JSON); impact.mapping.yaml in a folder given is used when omitted')
    .option('--skip-unreadable', 'load the files that can be read (still all or nothing) and list the others, instead of stopping at the first that cannot be read')
    .option('--reload', 'load files again even if the same bytes were loaded before, e.g. to retry rows rejected for an unknown participant once the participants file has arrived')
    .action(async (paths: string[], opts: IngestCommandOptions) => {
      await runIngest(paths, opts);
    });
}
