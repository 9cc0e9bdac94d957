// overview-trend.json: People enrolled, completed and in a first job by the quarter their cohort started (marts.cohort_summary. Query: queries/overview-trend.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('overview-trend');
