// time-to-job.json: Kaplan–Meier time to first job (marts.impact_time_to_first_job) read every 14 days up to two. Query: queries/time-to-job.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('time-to-job');
