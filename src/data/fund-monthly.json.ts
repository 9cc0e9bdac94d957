// fund-monthly.json: queries/fund-monthly.sql on core.cib_agreement_months,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-monthly');
