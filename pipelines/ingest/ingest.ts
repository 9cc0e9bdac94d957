// An ingest run: every planned file loads into one work copy of the warehouse, which replaces the
// warehouse only if every file loaded. A file with bad rows still loads (the rows go to rejects);
// a file that cannot be read at all stops the run and leaves the warehouse as it was, unless the run
// skips unreadable files (then the others load, still all or nothing, and the run lists those skipped). Files load on
// several connections at once, each after the files it depends on (schedule.ts); load ids follow the
// plan's order whatever the order files finish in (load-numbers.ts).
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT_VERSION, getEntity } from '../contract/entities.ts';
import { installNormalisers } from '../contract/normalisers.ts';
import { queryRows, withConnection } from '../db/connection.ts';
import { keyFingerprint, type PseudonymKey } from '../privacy/key.ts';
import { loadSql, quarantineSql, warehouseKeySql } from '../warehouse/meta-sql.ts';
import { warehousePaths } from '../warehouse/paths.ts';
import { withWarehouseWrite } from '../warehouse/write.ts';
import { explainFileFault } from '../file-faults.ts';
import { loadFile, sha256File, type LoadResult } from './load-file.ts';
import { readError, SourceReadError } from './read/stage.ts';
import { LoadNumbers } from './load-numbers.ts';
import { longestChainFirst, runScheduled } from './schedule.ts';
import { createScratchDir, removeScratchDir, removeStrayScratchDirs } from './scratch.ts';
import type { PlannedSource } from './sources.ts';

const quarantineDdl = readFileSync(new URL('../warehouse/quarantine.sql', import.meta.url), 'utf8');

export interface IngestOptions {
  db: string;
  key: PseudonymKey;
  encoding?: string;
  reload?: boolean;
  /** Load the files that can be read and list the others in `skipped`, instead of stopping at the first. */
  skipUnreadable?: boolean;
  onFileStart?: (source: PlannedSource, index: number, total: number) => void;
  onFileDone?: (result: LoadResult, index: number, total: number) => void;
  onFileSkipped?: (source: PlannedSource, index: number, total: number) => void;
}

/** A file a run skipped (`skipUnreadable`): its name and why, for the output only, never the warehouse. */
export interface SkippedFile {
  file: string;
  why: string;
}

export interface IngestResult {
  runId: string;
  results: LoadResult[];
  skipped: SkippedFile[];
}

/** The first sentence of an error's first line, for a one-line message; the whole text goes in the detail. */
function firstSentence(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  const sentence = /^.*?[.!?](?=\s|$)/.exec(line)?.[0] ?? line;
  return sentence.length > 200 ? `${sentence.slice(0, 199)}…` : sentence.replace(/[.!?]$/, '');
}

/** A fault of the file (not of the machine: a full disk), which a run that skips unreadable files may skip. */
function isUnreadable(error: unknown): error is SourceReadError {
  return error instanceof SourceReadError && explainFileFault(error) === undefined;
}

/** Refuses to mix pseudonyms made under two keys in one warehouse. */
async function checkKey(conn: DuckDBConnection, key: PseudonymKey): Promise<void> {
  const fingerprint = keyFingerprint(key.key);
  const rows = await queryRows<{ key_fingerprint: string }>(conn, warehouseKeySql.read);
  if (rows.length === 0) {
    await conn.run(warehouseKeySql.record, { contract: CONTRACT_VERSION, fingerprint });
  } else if (rows[0]!.key_fingerprint !== fingerprint) {
    throw new Error(
      `The pseudonymisation key (${key.origin}) is not the one this warehouse was built with, so the same person would get a different participant_id. Use the original key (IMPACT_KEY_FILE or IMPACT_KEY), or start a new warehouse.`,
    );
  }
}

/** Whether the warehouse `db` exists and records the fingerprint of its key: then no new key may be made for it. */
export async function isKeyed(db: string): Promise<boolean> {
  if (!existsSync(db)) return false;
  return withConnection(db, { readOnly: true }, async (conn) => (await queryRows(conn, warehouseKeySql.exists)).length > 0 && (await queryRows(conn, warehouseKeySql.read)).length > 0);
}

/** Connections loading files side by side: one per core, as many as there are files, at most four. */
function laneCount(files: number): number {
  return Math.max(1, Math.min(files, availableParallelism(), 4));
}

/**
 * DuckDB's threads while files load side by side: the connections already keep every core busy, and a query split
 * over more threads than its share of the cores costs more CPU in total (order-preserving inserts, merged
 * aggregates). At 100,000 participants on 2 cores, one thread for two connections cut the ingest's CPU time from
 * 5.2–5.5 s to 4.7 s. When fewer files can load than there are connections (the rest wait for them), the files
 * loading get the cores back. The setting is the database's, so one connection of its own makes every change, in
 * order.
 */
class ThreadsSetting {
  private current = 0;
  private applied: Promise<unknown> = Promise.resolve();

  constructor(private readonly conn: DuckDBConnection, private readonly lanes: number) {
    this.follow(lanes);
  }

  /** `active` files are loading or ready to load. */
  follow(active: number): void {
    const wanted = Math.max(1, Math.floor(availableParallelism() / Math.max(1, Math.min(this.lanes, active))));
    if (wanted === this.current) return;
    this.current = wanted;
    this.applied = this.applied.then(() => this.conn.run(`SET threads = ${wanted}`));
    // A failed change is reported by reset(), not as an unhandled rejection while files load.
    this.applied.catch(() => undefined);
  }

  /** Back to DuckDB's default for what follows (the final checkpoint). */
  async reset(): Promise<void> {
    await this.applied;
    await this.conn.run('RESET threads');
  }

  /** After the last change has settled: closing a connection with a statement in flight leaves it hanging. */
  async close(): Promise<void> {
    await this.applied.catch(() => undefined);
    this.conn.closeSync();
  }
}

/**
 * The sha256 of every file, one after the other in plan order, starting at once: hashing reads the files in
 * JavaScript while DuckDB loads, so the idempotency check costs no time of its own.
 */
function hashInOrder(files: readonly string[]): Array<Promise<string>> {
  let previous: Promise<unknown> = Promise.resolve();
  return files.map((file) => {
    const hash = previous.then(() => sha256File(file));
    // A file that cannot be read fails when its turn comes, not as an unhandled rejection while another loads.
    hash.catch(() => undefined);
    previous = hash.catch(() => undefined);
    return hash;
  });
}

/** Earlier files a file waits for: files of its entity (they load oldest first) and of the entities it references. */
function dependencies(sources: readonly PlannedSource[]): number[][] {
  return sources.map((source, i) => {
    const referenced = new Set(Object.values(getEntity(source.entity).references).filter((e) => e !== undefined));
    return sources.slice(0, i).flatMap((earlier, j) => (earlier.entity === source.entity || referenced.has(earlier.entity) ? [j] : []));
  });
}

export async function ingest(sources: PlannedSource[], options: IngestOptions): Promise<IngestResult> {
  const runId = randomUUID();
  await removeStrayScratchDirs();
  const tempDir = createScratchDir();
  const { quarantine } = warehousePaths(options.db);
  const hashes = hashInOrder(sources.map((s) => s.file));
  const skipped: SkippedFile[] = []; // by plan index
  try {
    const results = await withWarehouseWrite(options.db, async (conn, connect) => {
      await checkKey(conn, options.key);
      await conn.run(quarantineSql.attach(quarantine));
      // Owner-only before any row is written: a run that fails keeps its rows there until the next prunes them.
      chmodSync(quarantine, 0o600);
      await conn.run(`BEGIN TRANSACTION;\n${quarantineDdl}\nCOMMIT;`);
      for (const sql of quarantineSql.prune) await conn.run(sql);
      const numbers = new LoadNumbers(await queryRows(conn, loadSql.loaded), options.reload ?? false);
      sources.forEach((source, i) => numbers.add(source.entity, hashes[i]!));

      const lanes = [conn];
      let threads: ThreadsSetting | undefined;
      let done: LoadResult[];
      try {
        while (lanes.length < laneCount(sources.length)) lanes.push(await connect());
        threads = new ThreadsSetting(await connect(), lanes.length);
        await Promise.all(lanes.map((lane) => installNormalisers(lane)));
        const ctx = { runId, key: options.key.key, pseudonyms: new Map<string, string>(), tempDir, encoding: options.encoding };
        const requires = dependencies(sources);
        const bytes = sources.map((s) => statSync(s.file, { throwIfNoEntry: false })?.size ?? 0);
        const loaded = await runScheduled(sources.length, lanes, (i) => requires[i]!, async (lane, i) => {
          const source = sources[i]!;
          const name = basename(source.file);
          options.onFileStart?.(source, i, sources.length);
          try {
            const number = await numbers.get(i).catch((error: unknown) => {
              throw readError(source.file, firstSentence(error), error);
            });
            const result = await loadFile(lane, ctx, source.file, source.entity, source.rule, number);
            options.onFileDone?.(result, i, sources.length);
            return result;
          } catch (error) {
            const why = firstSentence(error);
            if (!isUnreadable(error)) throw new Error(`Loading ${name} failed, so nothing from this run was kept: ${why}.`, { cause: error });
            if (!options.skipUnreadable) {
              throw new Error(`${name} could not be read, so nothing from this run was kept (\`impact ingest --skip-unreadable\` loads the other files): ${why}.`, { cause: error });
            }
            // What the reader staged on this connection, so the next file loaded on it starts clean.
            await lane.run(loadSql.cleanUp.join(';\n'));
            skipped[i] = { file: source.file, why };
            options.onFileSkipped?.(source, i, sources.length);
            return undefined;
          }
        }, longestChainFirst(bytes, requires), (active) => threads!.follow(active));
        done = loaded.filter((r) => r !== undefined);
        const unread = skipped.filter((s) => s !== undefined);
        if (done.length === 0 && unread.length > 0) {
          // Each file with its own reason, one line each, as when some are skipped: staff fix them all at once.
          const [first] = unread;
          throw new Error(
            sources.length === 1
              ? `${basename(first!.file)} could not be read, so nothing was loaded: ${first!.why}.`
              : [`None of the ${sources.length} files could be read, so nothing was loaded:`, ...unread.map((s) => `${basename(s.file)}: ${s.why}.`)].join('\n'),
          );
        }
        await threads.reset();
      } finally {
        await threads?.close();
        for (const lane of lanes.slice(1)) lane.closeSync();
      }
      for (const sql of quarantineSql.detach) await conn.run(sql);
      chmodSync(quarantine, 0o600); // raw values of rejected rows: staff only
      return done;
    });
    return { runId, results, skipped: skipped.filter((s) => s !== undefined) };
  } finally {
    removeScratchDir(tempDir);
  }
}
