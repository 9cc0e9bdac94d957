// time-to-job-summary.json: queries/time-to-job-summary.sql on marts.impact_time_to_first_job_summary,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('time-to-job-summary');
