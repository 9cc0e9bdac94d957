// sib-outcomes.json: Outcomes against each contract's rate card (staging.sib_outcomes). Query: queries/sib-outcomes.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-outcomes');
