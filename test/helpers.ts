// Shared test helpers: temp folders, an in-memory DuckDB with the normalisers, and the real CLI.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { installNormalisers } from '../pipelines/contract/normalisers.ts';
import { queryRows, withConnection } from '../pipelines/db/connection.ts';
import { quarantineSql } from '../pipelines/warehouse/meta-sql.ts';
import { warehousePaths } from '../pipelines/warehouse/paths.ts';

export const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'impact.mjs');

export function tempDir(prefix = 'impact-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** One in-memory DuckDB connection with the SQL normalisers installed, shared by a test file. */
export async function normaliserConnection(): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await installNormalisers(conn);
  return { conn, close: () => (conn.closeSync(), instance.closeSync()) };
}

export async function sqlValue(conn: DuckDBConnection, expr: string, v: unknown): Promise<unknown> {
  const rows = await queryRows<{ r: unknown }>(conn, `SELECT (${expr})::VARCHAR AS r`, { v } as Record<string, unknown>);
  return rows[0]!.r;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `impact` CLI with its key file in `keyDir`. */
export async function runCli(args: string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export function spawnCli(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function readOnlyRows<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  return withConnection(db, { readOnly: true }, (conn) => queryRows<T>(conn, sql));
}

/** An in-memory DuckDB connection for the tests of one file: opened before them, closed after. */
export function useMemoryConnection(): () => DuckDBConnection {
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });
  return () => conn;
}

/**
 * Rows as staff see them: the warehouse read-only with its quarantine attached, and views `loads` and
 * `rejects` that add each load's file name (kept only in the quarantine) to meta.loads and meta.rejects.
 */
export async function staffRows<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const { quarantine } = warehousePaths(db);
  return withConnection(db, { readOnly: true, allowFiles: [quarantine] }, async (conn) => {
    await conn.run(quarantineSql.attachReadOnly(quarantine));
    await conn.run('CREATE TEMP VIEW loads AS SELECT l.*, f.file_name FROM meta.loads l JOIN quarantine.loads f USING (load_id)');
    await conn.run('CREATE TEMP VIEW rejects AS SELECT r.*, f.file_name FROM meta.rejects r JOIN quarantine.loads f USING (load_id)');
    return queryRows<T>(conn, sql);
  });
}
