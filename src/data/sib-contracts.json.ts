// sib-contracts.json: One row per SIB contract. Query: queries/sib-contracts.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-contracts');
