// retention.json: queries/retention.sql on marts.impact_retention,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('retention');
