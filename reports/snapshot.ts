// The data snapshot a report states in its footer: one hash that changes when, and only when, the
// data or the build behind the report's numbers change. It is
//   sha256("impact-report-snapshot/1\n" + build snapshot_sha256 + "\n" + as_of + "\n" + models joined by ",")
// where snapshot_sha256 is meta.builds' hash of every load's sha256 in load order. A reader with the
// warehouse recomputes it with `impact report snapshot` or the SQL in docs/reports.md.
import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../pipelines/db/connection.ts';
import { buildHint, incomeDataEnd } from '../pipelines/models/as-of.ts';
import { loadsSnapshotSha256 } from '../pipelines/warehouse/snapshot.ts';
import { warehouseSql } from './warehouse-sql.ts';

export interface LoadRecord {
  load_id: number;
  entity: string;
  sha256: string;
  rows_loaded: number;
  loaded_at: string;
}

export interface Snapshot {
  asOf: string;
  buildId: number;
  /** meta.builds.snapshot_sha256 of the latest build. */
  buildSha256: string;
  /** The report's snapshot hash (64 hex digits). */
  hash: string;
  loads: LoadRecord[];
}

export function reportSnapshotHash(buildSha256: string, asOf: string, models: string): string {
  return createHash('sha256').update(`impact-report-snapshot/1\n${buildSha256}\n${asOf}\n${models}`).digest('hex');
}

/**
 * The latest build and the loads behind it. Refuses a warehouse never built, or with files loaded
 * since its latest build (its marts would not show them).
 */
export async function readSnapshot(conn: DuckDBConnection): Promise<Snapshot> {
  const [build] = await queryRows<{ build_id: number; as_of: string; snapshot_sha256: string; models: string }>(conn, warehouseSql.latestBuild);
  if (!build) throw new Error(`The warehouse has not been built yet: ${buildHint(await incomeDataEnd(conn))} before making reports.`);
  const loads = await queryRows<LoadRecord>(conn, warehouseSql.loads);
  const current = loadsSnapshotSha256(loads.map((l) => l.sha256));
  if (current !== build.snapshot_sha256) {
    throw new Error(`Files were loaded after the latest build, so the marts do not show them: ${buildHint(await incomeDataEnd(conn))} before making reports.`);
  }
  return { asOf: build.as_of, buildId: build.build_id, buildSha256: build.snapshot_sha256, hash: reportSnapshotHash(build.snapshot_sha256, build.as_of, build.models), loads };
}
