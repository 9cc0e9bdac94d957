// sib-cumulative.json: queries/sib-cumulative.sql on marts.sib_outcome_audit,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-cumulative');
