// flow.json: queries/flow.sql on core.participant_milestones and marts.cib_agreements,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('flow');
