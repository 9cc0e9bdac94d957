// retention.json: Retention 6 and 12 months after the first job, and impact sourcing to direct hire (marts.impact_retention).. Query: queries/retention.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('retention');
