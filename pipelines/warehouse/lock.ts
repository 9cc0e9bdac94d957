// One writer at a time: a lock file beside the warehouse holding the writer's pid. A lock whose
// process is gone (killed, crashed) is taken over at once, so a killed run never blocks the next.
// Assumes the warehouse is on a local file system, as DuckDB itself does.
//
// Why a process id and not the file's age (proper-lockfile's way, a lock untouched for some seconds is stale): judging
// by age needs the holder to touch the file every few seconds, and a holder stalled longer than that (a long DuckDB
// checkpoint on a slow disk, a paused laptop) would lose its lock to a second writer. A pid is never wrong about a
// holder that runs; its one failure, a lock naming a pid that a new process has since been given, is said in the
// busy message (which names the process) and ends when that process does. A lock naming this process's own id is
// stale unless this process holds it: a container starts node with the same small id every time.
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { onInterrupt } from '../interrupt.ts';

/** Whether a process with this id runs (one of another user's counts: it cannot be signalled, but it runs). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lock, work copy or scratch folder named after process `pid` was left by a run that is over: that process
 * no longer runs, or `pid` is this process's own id and this process does not hold the thing (a container starts
 * node with the same small id every time, so a killed run's id is often the next run's).
 */
export function leftByEndedRun(pid: number, heldHere: boolean): boolean {
  return pid === process.pid ? !heldHere : !processAlive(pid);
}

/** The lock is held by a process that runs; the message names it. */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

/** The lock files this process holds (resolved paths). */
const held = new Set<string>();

/** The pid in a lock file, or undefined when the file is gone. */
function holderOf(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes the lock or throws; returns the release function. The lock file is made complete under another name and
 * linked into place, so nobody ever reads it empty; a stale one is removed only if it still names the dead process.
 */
export function acquireLock(lockPath: string, busyMessage: string): () => void {
  const path = resolve(lockPath);
  for (let attempt = 0; attempt < 3; attempt++) {
    const draft = `${path}.${process.pid}.draft`;
    writeFileSync(draft, String(process.pid), { mode: 0o600 });
    try {
      linkSync(draft, path);
      held.add(path);
      const forget = onInterrupt(() => rmSync(path, { force: true }));
      return () => {
        forget();
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(draft, { force: true });
    }
    const holder = holderOf(path);
    if (holder === undefined) continue; // released meanwhile
    const running = Number.isInteger(holder) && holder > 0 && !leftByEndedRun(holder, held.has(path));
    if (running) throw new LockBusyError(`${busyMessage} (process ${holder})`);
    // Left by a process that no longer runs (or an earlier one with this process's id), unless another process has taken it over since it was read.
    if (holderOf(path) === holder) rmSync(path, { force: true });
  }
  throw new LockBusyError(busyMessage);
}
