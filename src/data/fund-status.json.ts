// fund-status.json: Agreements by status as of the as-of date (marts.cib_agreements), with the share of all agreements.. Query: queries/fund-status.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-status');
