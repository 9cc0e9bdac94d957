// How the CLI prints: tables for people, CSV and JSON for programs; progress only on a terminal.
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { SingleBar, Presets } from 'cli-progress';

export type Format = 'table' | 'csv' | 'json';

export function formatRows(rows: Record<string, unknown>[], format: Format): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  if (format === 'csv') return stringify(rows, { header: true, columns, cast: { boolean: (b) => String(b) } }).trimEnd();
  if (rows.length === 0) return '(no rows)';
  const table = new Table({ head: columns, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(columns.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))));
  return table.toString();
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
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
    update: (done: number, item: string) => bar.update(done, { item }),
    stop: () => bar.stop(),
  };
}
