// Every file impact hands to someone (the warehouse, a research extract, a Parquet folder) is written as a work copy
// beside its destination, flushed to disk, then renamed into place, so a reader never sees half a file. A work copy
// is named `<prefix><pid>…` after the process writing it; one left by a process that was killed is removed by the
// next writer, since it may hold rows that were never checked (a research extract before its k-anonymity check).
import { open, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './warehouse/lock.ts';

/** `.<name of target>.<kind>-<pid>`, beside `target`. */
export function workCopyPath(target: string, kind: 'next' | 'old' = 'next', pid = process.pid): string {
  return join(dirname(target), `${workCopyPrefix(target, kind)}${pid}`);
}

function workCopyPrefix(target: string, kind: 'next' | 'old'): string {
  return `.${basename(target)}.${kind}-`;
}

/** Removes the work copies of `target` (files or folders, with their DuckDB .wal) whose process no longer runs. */
export async function removeStrayWorkCopies(target: string): Promise<void> {
  const dir = dirname(target);
  const prefixes = [workCopyPrefix(target, 'next'), workCopyPrefix(target, 'old')];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const pid = Number(/^\d+/.exec(name.slice(prefix.length))?.[0]);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
  }
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
    else if ((await stat(path)).isFile()) await fsyncFile(path);
  }
  await fsyncFile(dir);
}
