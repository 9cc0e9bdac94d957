// sib-outcomes.json: queries/sib-outcomes.sql on marts.sib_payments,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-outcomes');
