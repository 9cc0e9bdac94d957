// Where a warehouse's companion files live: all beside the warehouse file.
import { existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export const DEFAULT_DB = 'out/warehouse.duckdb';

/** Every command that reads a warehouse says the same thing when there is none. */
export function assertWarehouse(db: string): void {
  if (!existsSync(db)) throw new Error(`There is no warehouse at ${db}: run \`impact ingest\` and \`impact build\` (or \`npm start\` for the demo) first.`);
}

export interface WarehousePaths {
  db: string;
  /** Staff-only store of rejected rows with their raw values; never handed to researchers. */
  quarantine: string;
}

export function warehousePaths(db: string): WarehousePaths {
  const dir = dirname(db);
  const stem = basename(db).replace(/\.duckdb$/, '');
  return {
    db,
    quarantine: join(dir, `${stem}.quarantine.duckdb`),
  };
}
