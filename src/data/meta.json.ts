// meta.json: The as-of date and when the warehouse was built. Query: queries/meta.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('meta');
