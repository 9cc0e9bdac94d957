// fund-monthly.json: Collections against obligations, month by month. Query: queries/fund-monthly.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-monthly');
