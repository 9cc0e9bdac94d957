// time-to-job-summary.json: Median time to first job and S(180) per group (marts.impact_time_to_first_job_summary).. Query: queries/time-to-job-summary.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('time-to-job-summary');
