// One writer at a time: a lock file beside the warehouse holding the writer's pid. A lock whose
// process is gone (killed, crashed) is taken over at once, so a killed run never blocks the next.
// Assumes the warehouse is on a local file system, as DuckDB itself does.
import { openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** Whether a process with this id runs (one of another user's counts: it cannot be signalled, but it runs). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws; returns the release function. */
export function acquireLock(path: string, busyMessage: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) throw new Error(`${busyMessage} (process ${holder})`);
      rmSync(path, { force: true }); // left by a process that no longer runs
    }
  }
  throw new Error(busyMessage);
}
