// Every file impact hands to someone (the warehouse, a research extract, a Parquet folder) is written as a work copy
// beside its destination, flushed to disk, then renamed into place, so a reader never sees half a file. A work copy
// is named `<prefix><pid>…` after the process writing it; one left by a process that was killed is removed by the
// next writer, since it may hold rows that were never checked (a research extract before its k-anonymity check).
import { existsSync, rmSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { onInterrupt } from './interrupt.ts';
import { leftByEndedRun } from './warehouse/lock.ts';

/** `.<name of target>.<kind>-<pid>`, beside `target`. */
export function workCopyPath(target: string, kind: 'next' | 'old' = 'next', pid = process.pid): string {
  return join(dirname(target), `${workCopyPrefix(target, kind)}${pid}`);
}

function workCopyPrefix(target: string, kind: 'next' | 'old'): string {
  return `.${basename(target)}.${kind}-`;
}

/** The file a work copy (or its DuckDB .wal) is made for, or undefined when `path` is not a work copy. */
export function workCopyTarget(path: string): string | undefined {
  const name = /^\.(.+)\.(?:next|old)-\d+(?:\.wal)?$/.exec(basename(path))?.[1];
  return name === undefined ? undefined : join(dirname(path), name);
}

/** Removes the work copy `work` (file or folder, with its DuckDB .wal) if the run is interrupted; returns the undo. */
export function removeOnInterrupt(work: string): () => void {
  return onInterrupt(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(`${work}.wal`, { force: true });
  });
}

/**
 * Removes the work copies of `target` (files or folders, with their DuckDB .wal) whose process no longer runs. A copy
 * named after this process's own id is stale too: a killed run's id is often the next run's (a container starts
 * node with the same small id every time), and a DuckDB .wal left beside it would be replayed into the new copy.
 */
export async function removeStrayWorkCopies(target: string): Promise<void> {
  const dir = dirname(target);
  const prefixes = [workCopyPrefix(target, 'next'), workCopyPrefix(target, 'old')];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    // `.x.next-5.next-9` is a work copy of `x.next-5`, not one of `x` made by process 5.
    const pid = prefix === undefined ? undefined : /^(\d+)(\.wal)?$/.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined) continue;
    if (!leftByEndedRun(Number(pid), false)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Puts back the previous `target` when a run was killed between moving it aside (`old`) and renaming its work copy
 * into place: otherwise the sweep would delete the only copy left.
 */
export async function restoreInterruptedSwap(target: string): Promise<void> {
  if (existsSync(target)) return;
  const prefix = workCopyPrefix(target, 'old');
  const old = (await readdir(dirname(target)).catch(() => [] as string[])).find((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)));
  if (old !== undefined) await rename(join(dirname(target), old), target);
}

/** Flushes a finished file to disk before it is renamed into place. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes every file under `dir`, then the folders themselves (their entries), before `dir` is renamed into place. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(path);
    else if (entry.isFile()) await fsyncFile(path);
  }
  await fsyncFile(dir);
}
