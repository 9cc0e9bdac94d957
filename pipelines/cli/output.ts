// How the CLI prints: tables for people, CSV and JSON for programs; progress only on a terminal.
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { SingleBar, Presets } from 'cli-progress';

export type Format = 'table' | 'csv' | 'json';

/**
 * Characters a terminal acts on rather than shows: C0 controls but tab and newline (ESC starts the
 * sequences that recolour, retitle or rewrite the screen; BEL rings; CR overwrites the line), DEL,
 * C1 controls (U+009B is a one-character ESC [), and the bidirectional overrides that reorder what
 * is shown. Values from source files and file names may hold any of them.
 */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every terminal control written visibly as \uXXXX (as JSON writes it), so nothing from data acts on the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prints a command's result: as it is into a pipe or file, with terminal controls made visible on a terminal. */
export function printResult(text: string): void {
  process.stdout.write(`${process.stdout.isTTY ? terminalSafe(text) : text}\n`);
}

export function formatRows(rows: Record<string, unknown>[], format: Format): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  if (format === 'csv') return stringify(rows, { header: true, columns, cast: { boolean: (b) => String(b) } }).trimEnd();
  if (rows.length === 0) return '(no rows)';
  const table = new Table({ head: columns.map(terminalSafe), style: { head: [], border: [], compact: true } });
  // A table is for people, whether on a terminal or piped to a pager: values never act on the terminal.
  for (const row of rows) table.push(columns.map((c) => (row[c] === null || row[c] === undefined ? '' : terminalSafe(String(row[c])))));
  return table.toString();
}

export function info(message: string): void {
  process.stderr.write(`${terminalSafe(message)}\n`);
}

/** A progress bar on a terminal; plain lines otherwise (CI logs, pipes). */
export function progress(label: string, total: number) {
  if (!process.stderr.isTTY) {
    return {
      update: (done: number, item: string) => info(`${label} ${done}/${total}: ${item}`),
      stop: () => {},
    };
  }
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {item}`, clearOnComplete: true }, Presets.shades_classic);
  bar.start(total, 0, { item: '' });
  return {
    update: (done: number, item: string) => bar.update(done, { item: terminalSafe(item) }),
    stop: () => bar.stop(),
  };
}
