// The scratch folder of an ingest run: UTF-8 copies of Shift_JIS / EUC-JP / UTF-16 files, copies of CSV files whose
// line breaks DuckDB cannot read, and links to files whose names DuckDB would take as patterns. The copies hold every
// column of the source (names, raw references), so the folder is owner-only (700, its files 600) and never outlives
// its run: it is removed when the run ends, on SIGINT and SIGTERM (through interrupt.ts, like the work copies), and, for a run killed outright (SIGKILL, a crash,
// the machine stopping), by the next ingest, which finds it by the process id in its name (as work-copies.ts finds
// the warehouse's work copies).
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from '../interrupt.ts';
import { leftByEndedRun } from '../warehouse/lock.ts';

const PREFIX = 'impact-ingest-';

/** Scratch folders this process made and has not removed yet, each with the undo it registered for a signal. */
const ours = new Map<string, () => void>();

/** A new owner-only scratch folder, `impact-ingest-<pid>-<random>` in the system's temporary folder. */
export function createScratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`)); // mkdtemp makes it mode 700
  ours.set(dir, onInterrupt(() => rmSync(dir, { recursive: true, force: true })));
  return dir;
}

export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  ours.get(dir)?.();
  ours.delete(dir);
}

/**
 * Removes the scratch folders of ingest runs that no longer run. One named after this process's own id that this
 * process did not make is stale too: a container starts node with the same small id every time.
 */
export async function removeStrayScratchDirs(): Promise<void> {
  const dir = tmpdir();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid === undefined || !leftByEndedRun(Number(pid), ours.has(join(dir, name)))) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
}
