// Two faults of the machine rather than of the data, told in one sentence that names the file: a full disk, and a
// DuckDB file that is damaged (cut short) or is not a DuckDB file at all. DuckDB's own text names the work copy it
// was writing or reading (`.warehouse.duckdb.next-123`), which nobody knows; the sentence names the file people
// know. The CLI prints it with DuckDB's text as the detail.
import { workCopyTarget } from './work-copies.ts';

const DUCKDB_FILE = /file "([^"]+)"/;
/** What DuckDB says when a database file ends too soon or is not a DuckDB database. */
const DAMAGED = [/Could not read enough bytes from file "([^"]+)"/, /The file "([^"]+)" exists, but it is not a valid DuckDB database file/];

/** The error and its causes, outermost first: a file's load wraps DuckDB's error in its own. */
function chain(error: unknown): Error[] {
  const errors: Error[] = [];
  for (let e = error; e instanceof Error && errors.length < 10; e = e.cause) errors.push(e);
  return errors;
}

function fullDisk(error: Error): string | undefined {
  const e = error as NodeJS.ErrnoException & { dest?: string };
  if (e.code === 'ENOSPC') return e.dest ?? e.path ?? '';
  if (/No space left on device/i.test(e.message)) return DUCKDB_FILE.exec(e.message)?.[1] ?? '';
  return undefined;
}

/** One sentence for a full disk or a damaged DuckDB file anywhere in `error`'s chain, with `error` as its cause. */
export function explainFileFault(error: unknown): Error | undefined {
  for (const e of chain(error)) {
    const full = fullDisk(e);
    if (full !== undefined) {
      const target = workCopyTarget(full);
      const what = target
        ? `the work copy of ${target} could not be written, so nothing from this run was kept and ${target} is as it was`
        : `${full || 'a file'} could not be written, so the run stopped`;
      return new Error(`The disk is full: ${what}; free some space${target ? ' (a change needs room for a second copy of it)' : ''} and run again.`, { cause: error });
    }
    const damaged = DAMAGED.map((pattern) => pattern.exec(e.message)?.[1]).find((file) => file !== undefined);
    if (damaged !== undefined) {
      const file = workCopyTarget(damaged) ?? damaged;
      return new Error(
        `${file} is damaged or is not a DuckDB database (cut short, perhaps by a full disk or an interrupted copy): restore it from a backup, or move it aside and load the source files again with \`impact ingest\`.`,
        { cause: error },
      );
    }
  }
  return undefined;
}
