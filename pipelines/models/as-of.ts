// Which as-of date a build should use. A build as of today after data that ends months ago turns
// every agreement without later income "unreported"; the latest income period loaded says where the
// data ends, and the end of that period's month is the as-of date to suggest.
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db/connection.ts';
import { quotedIdentifier } from '../sql.ts';

/** The last day of the month of the latest income period loaded (YYYY-MM-DD), or null when there is no income. */
export async function incomeDataEnd(conn: DuckDBConnection, catalog?: string): Promise<string | null> {
  const table = catalog ? `${quotedIdentifier(catalog)}.raw.income` : 'raw.income';
  const [row] = await queryRows<{ end: string | null }>(conn, `SELECT strftime(last_day(max(period)), '%Y-%m-%d') AS "end" FROM ${table}`);
  return row?.end ?? null;
}

/** The date one calendar month after `date` (YYYY-MM-DD), kept within the month (10-31 gives 11-30). */
function monthAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** The warning for a build more than a month past the end of the income data, or null when the as-of is fine. */
export function staleAsOfWarning(asOf: string, dataEnd: string | null): string | null {
  if (dataEnd === null || asOf <= monthAfter(dataEnd)) return null;
  return `warning: built as of ${asOf}, more than a month after the latest income loaded (the month ending ${dataEnd}), so agreements count as unreported for the months since; if the data ends there, run \`impact build --as-of ${dataEnd}\`.`;
}

/** How a command that needs a (fresh) build says which build to run. */
export function buildHint(dataEnd: string | null): string {
  return dataEnd ? `run \`impact build --as-of ${dataEnd}\` (the end of the latest income month loaded; or another date)` : 'run `impact build`';
}
