// funnel.json: queries/funnel.sql on marts.impact_funnel,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('funnel');
