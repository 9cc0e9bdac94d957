// fund-projection.json: queries/fund-projection.sql on marts.cib_projection,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-projection');
