// equity.json: The same outcomes by gender, origin region, residence status and age band. Query: queries/equity.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('equity');
