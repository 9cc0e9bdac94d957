// funnel.json: The funnel (marts.impact_funnel) for everyone, each track and each cohort, with the group's enrolled count.. Query: queries/funnel.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('funnel');
