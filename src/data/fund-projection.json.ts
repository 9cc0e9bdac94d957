// fund-projection.json: The projection fan (marts.cib_projection). Query: queries/fund-projection.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('fund-projection');
