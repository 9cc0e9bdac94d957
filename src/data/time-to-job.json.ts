// time-to-job.json: queries/time-to-job.sql on marts.impact_time_to_first_job (read every 14 days),
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('time-to-job');
