// overview-trend.json: queries/overview-trend.sql on marts.impact_funnel (by cohort) and marts.cohort_summary (start quarter),
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('overview-trend');
