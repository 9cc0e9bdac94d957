// fund.json: The Career Impact Bond fund as of the as-of date (marts.cib_fund).. Query: queries/fund.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund');
