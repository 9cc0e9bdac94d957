// How contract columns appear in the warehouse: participant_ref becomes participant_id, direct
// identifiers disappear, and every raw table carries its lineage (load_id, source_row).
import { specOf, type ColumnSpec } from './columns.ts';
import type { EntityDef } from './entities.ts';

export interface WarehouseColumn {
  /** Name in the source contract. */
  contractName: string;
  /** Name in the warehouse. */
  name: string;
  spec: ColumnSpec;
  sqlType: string;
  comment: string;
}

const PSEUDONYM_COMMENT =
  'Pseudonymous participant id: HMAC-SHA256 of the programme participant_ref under a secret key kept outside the warehouse (its first 128 bits, stored as a UUID). The same person has the same id in every table; it cannot be reversed without the key.';

export function warehouseName(contractName: string, spec: ColumnSpec): string {
  return spec.kind === 'participant_ref' ? 'participant_id' : contractName;
}

/** The contract columns of an entity that are stored, in contract order. */
export function storedColumns(entity: EntityDef): WarehouseColumn[] {
  return Object.entries(entity.schema.shape).flatMap(([contractName, schema]) => {
    const spec = specOf(schema);
    if (spec.kind === 'direct_identifier') return [];
    const unit = spec.unit ? ` Unit: ${spec.unit}.` : '';
    const allowed = spec.constraint ? ` Allowed: ${spec.constraint}.` : '';
    const comment = spec.kind === 'participant_ref' ? PSEUDONYM_COMMENT : `${spec.description}${unit}${allowed}`;
    return [{ contractName, name: warehouseName(contractName, spec), spec, sqlType: spec.sqlType, comment }];
  });
}

export const LINEAGE_COLUMNS = [
  { name: 'load_id', sqlType: 'INTEGER', comment: 'The load (meta.loads.load_id) that last wrote this row.' },
  { name: 'source_row', sqlType: 'BIGINT', comment: 'Row number in the source file of that load (header = row 1).' },
] as const;
