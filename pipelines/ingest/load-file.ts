// Loads one source file into the warehouse connection: stage as text, validate set-based in SQL,
// then in one transaction record the load, replace superseded rows, insert good rows and record
// rejects. Raw rejected values go to the attached quarantine database (schema `quarantine`).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CONTRACT_VERSION, getEntity, type EntityName } from '../contract/entities.ts';
import { storedColumns } from '../contract/warehouse-columns.ts';
import { queryRows, queryValue } from '../db/connection.ts';
import { participantId } from '../privacy/key.ts';
import { quotedIdentifier as q } from '../sql.ts';
import { readSource, type SourceInfo } from './read/index.ts';
import { resolveColumns, type SourceRule } from './mapping.ts';
import * as V from './validation-sql.ts';

export interface LoadContext {
  runId: string;
  key: Buffer;
  /** Pseudonyms already computed in this run (ref → participant_id): most files name the same people. */
  pseudonyms: Map<string, string>;
  tempDir: string;
  encoding?: string;
}

export interface LoadResult {
  file: string;
  entity: EntityName;
  sha256: string;
  /** Set when the same bytes were loaded before: nothing was done. */
  alreadyLoadedAs?: number;
  loadId?: number;
  source?: SourceInfo;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsSuperseded: number;
  dropped: Array<{ header: string; why: string }>;
  rejectReasons: Array<{ column_name: string; problem: string; rows: number }>;
}

export class SourceFileError extends Error {}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function pseudonymise(conn: DuckDBConnection, entity: EntityName, key: Buffer, cache: Map<string, string>): Promise<void> {
  await conn.run(V.PSEUDONYM_TABLE_DDL);
  const sql = V.participantRefsSql(entity);
  if (!sql) return;
  const refs = await queryRows<{ raw: string; ref: string | null }>(conn, sql);
  const appender = await conn.createAppender('_pseudonyms', 'main', 'temp');
  for (const { raw, ref } of refs) {
    if (ref === null) continue;
    let id = cache.get(ref);
    if (id === undefined) cache.set(ref, (id = participantId(key, ref)));
    appender.appendVarchar(raw);
    appender.appendVarchar(id);
    appender.endRow();
  }
  appender.closeSync();
}

const count = (conn: DuckDBConnection, sql: string) => queryValue<number>(conn, sql).then(Number);

export async function loadFile(conn: DuckDBConnection, ctx: LoadContext, file: string, entity: EntityName, rule?: SourceRule): Promise<LoadResult> {
  const fileName = basename(file);
  const sha256 = await sha256File(file);
  const previous = await queryRows<{ load_id: number }>(conn, 'SELECT load_id FROM meta.loads WHERE sha256 = $sha AND entity = $entity ORDER BY load_id LIMIT 1', { sha: sha256, entity });
  const empty = { rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsSuperseded: 0, dropped: [], rejectReasons: [] };
  if (previous[0]) return { file, entity, sha256, alreadyLoadedAs: Number(previous[0].load_id), ...empty };

  const startedAt = new Date();
  let mapping: ReturnType<typeof resolveColumns> | undefined;
  const source = await readSource(conn, file, {
    encoding: rule?.encoding ?? ctx.encoding,
    sheet: rule?.sheet,
    tempDir: ctx.tempDir,
    selectColumns: (headers) => {
      mapping = resolveColumns(entity, headers, rule);
      return mapping.bindings.flatMap((b) => (b.header ? [b.header] : []));
    },
  });
  if (!mapping) throw new SourceFileError(`Could not read the header of ${fileName}.`);
  if (mapping.missing.length > 0) {
    const detail = mapping.missing.map((m) => `${m.column} (looked for: ${m.lookedFor.join(', ')})`).join('; ');
    throw new SourceFileError(`${fileName} has no column for ${mapping.missing.map((m) => m.column).join(', ')}. ${detail}. Rename the header or map it in a mapping file (--mapping).`);
  }

  await conn.run(V.stageSql(mapping.bindings));
  await pseudonymise(conn, entity, ctx.key, ctx.pseudonyms);
  await conn.run(V.checkedSql(entity));
  await conn.run(V.dupsSql(entity));
  await conn.run(V.rejectsSql(entity));
  await conn.run(V.goodSql(entity));

  const rowsRejected = await count(conn, 'SELECT count(DISTINCT _row) FROM _rejects');
  const rowsRead = await count(conn, 'SELECT (SELECT count(*) FROM _source) + (SELECT count(DISTINCT _row) FROM _source_rejects)');
  const loadId = await count(conn, 'SELECT coalesce(max(load_id), 0) + 1 FROM meta.loads');

  await conn.run('BEGIN TRANSACTION');
  let rowsSuperseded: number;
  let rowsLoaded: number;
  try {
    rowsSuperseded = Number((await conn.run(V.supersedeSql(entity))).rowsChanged);
    rowsLoaded = Number((await conn.run(V.insertSql(entity), { load_id: loadId })).rowsChanged);
    await conn.run(
      `INSERT INTO meta.rejects SELECT $load_id, $file, _row, column_name, problem, reason FROM _rejects ORDER BY _row, column_name`,
      { load_id: loadId, file: fileName },
    );
    await conn.run(
      `INSERT INTO meta.loads VALUES ($load_id, $run_id, $entity, $file, $sha, $format, $encoding, $read, $loaded, $rejected, $superseded, $started::TIMESTAMP, now()::TIMESTAMP, $contract)`,
      {
        load_id: loadId,
        run_id: ctx.runId,
        entity,
        file: fileName,
        sha: sha256,
        format: source.format,
        encoding: source.encoding,
        read: rowsRead,
        loaded: rowsLoaded,
        rejected: rowsRejected,
        superseded: rowsSuperseded,
        started: startedAt.toISOString(),
        contract: CONTRACT_VERSION,
      },
    );
    await conn.run('COMMIT');
  } catch (error) {
    await conn.run('ROLLBACK');
    throw error;
  }
  if (rowsLoaded + rowsRejected !== rowsRead) {
    throw new Error(`Internal error loading ${fileName}: ${rowsLoaded} loaded + ${rowsRejected} rejected ≠ ${rowsRead} read.`);
  }

  // Raw values of rejected rows, for staff to fix the source: quarantine only, never the warehouse.
  const stageColumns = storedColumns(getEntity(entity)).map((c) => `${q(c.contractName)} := s.${q(c.contractName)}`);
  await conn.run(
    `INSERT INTO quarantine.rejects
     SELECT $load_id, $file, $sha, r._row, r.column_name, r.raw_value, r.problem, r.reason, to_json(struct_pack(${stageColumns.join(', ')}))::VARCHAR
     FROM _rejects r LEFT JOIN _stage s USING (_row) ORDER BY r._row, r.column_name`,
    { load_id: loadId, file: fileName, sha: sha256 },
  );

  const rejectReasons = await queryRows<{ column_name: string; problem: string; rows: number }>(
    conn,
    'SELECT column_name, problem, count(*)::INTEGER AS rows FROM _rejects GROUP BY ALL ORDER BY rows DESC, column_name, problem',
  );
  for (const t of ['_good', '_stage']) await conn.run(`DROP VIEW IF EXISTS ${t}`);
  for (const t of ['_rejects', '_dups', '_checked', '_pseudonyms', '_source', '_source_rejects']) await conn.run(`DROP TABLE IF EXISTS ${t}`);

  return { file, entity, sha256, loadId, source, rowsRead, rowsLoaded, rowsRejected, rowsSuperseded, dropped: mapping.dropped, rejectReasons };
}
