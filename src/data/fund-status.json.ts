// fund-status.json: queries/fund-status.sql on marts.cib_agreements,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-status');
