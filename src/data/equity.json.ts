// equity.json: queries/equity.sql on marts.impact_funnel, marts.impact_placement_rates, marts.impact_time_to_first_job_summary, marts.impact_income,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('equity');
