// The warehouse's data snapshot: what a build records (meta.builds.snapshot_sha256) and what a report
// checks it against, so both must compute it the same way.
import { createHash } from 'node:crypto';

/** sha256 of the loads' sha256 values in load_id order, joined by newlines. */
export function loadsSnapshotSha256(loadHashesInLoadOrder: readonly string[]): string {
  return createHash('sha256').update(loadHashesInLoadOrder.join('\n')).digest('hex');
}
