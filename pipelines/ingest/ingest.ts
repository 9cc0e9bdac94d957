// An ingest run: every planned file loads into one work copy of the warehouse, which replaces the
// warehouse only if every file loaded. A file with bad rows still loads (the rows go to rejects);
// a file that cannot be read at all stops the run and leaves the warehouse as it was.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT_VERSION } from '../contract/entities.ts';
import { installNormalisers } from '../contract/normalisers.ts';
import { queryRows } from '../db/connection.ts';
import { keyFingerprint, type PseudonymKey } from '../privacy/key.ts';
import { quarantineSql, warehouseKeySql } from '../warehouse/meta-sql.ts';
import { warehousePaths } from '../warehouse/paths.ts';
import { withWarehouseWrite } from '../warehouse/write.ts';
import { loadFile, sha256File, type LoadResult } from './load-file.ts';
import type { PlannedSource } from './sources.ts';

const quarantineDdl = readFileSync(new URL('../warehouse/quarantine.sql', import.meta.url), 'utf8');

export interface IngestOptions {
  db: string;
  key: PseudonymKey;
  encoding?: string;
  reload?: boolean;
  onFileStart?: (source: PlannedSource, index: number, total: number) => void;
  onFileDone?: (result: LoadResult, index: number, total: number) => void;
}

export interface IngestResult {
  runId: string;
  results: LoadResult[];
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

/**
 * The sha256 of each file, computed one file ahead: hashing reads the file in JavaScript while DuckDB is busy loading
 * the one before, so the idempotency check costs no time of its own.
 */
class HashAhead {
  private readonly started = new Map<number, Promise<string>>();

  constructor(private readonly files: readonly string[]) {
    this.start(0);
  }

  /** The hash of file `i`; starts hashing file `i + 1`. */
  take(i: number): Promise<string> {
    const hash = this.start(i)!;
    this.start(i + 1);
    return hash;
  }

  private start(i: number): Promise<string> | undefined {
    const file = this.files[i];
    if (file === undefined) return undefined;
    let hash = this.started.get(i);
    if (!hash) {
      hash = sha256File(file);
      // A file that cannot be read fails when its turn comes, not as an unhandled rejection while another loads.
      hash.catch(() => undefined);
      this.started.set(i, hash);
    }
    return hash;
  }
}

export async function ingest(sources: PlannedSource[], options: IngestOptions): Promise<IngestResult> {
  const runId = randomUUID();
  const tempDir = mkdtempSync(join(tmpdir(), 'impact-ingest-'));
  const { quarantine } = warehousePaths(options.db);
  const hashes = new HashAhead(sources.map((s) => s.file));
  try {
    const results = await withWarehouseWrite(options.db, async (conn) => {
      await checkKey(conn, options.key);
      await installNormalisers(conn);
      await conn.run(quarantineSql.attach(quarantine));
      await conn.run(`BEGIN TRANSACTION;\n${quarantineDdl}\nCOMMIT;`);
      for (const sql of quarantineSql.prune) await conn.run(sql);
      const done: LoadResult[] = [];
      for (const [i, source] of sources.entries()) {
        options.onFileStart?.(source, i, sources.length);
        try {
          const sha256 = hashes.take(i);
          const result = await loadFile(conn, { runId, key: options.key.key, tempDir, encoding: options.encoding, reload: options.reload, sha256 }, source.file, source.entity, source.rule);
          done.push(result);
          options.onFileDone?.(result, i, sources.length);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(`Loading ${basename(source.file)} failed, so nothing from this run was kept: ${message}`, { cause: error });
        }
      }
      for (const sql of quarantineSql.detach) await conn.run(sql);
      chmodSync(quarantine, 0o600); // raw values of rejected rows: staff only
      return done;
    });
    return { runId, results };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}
