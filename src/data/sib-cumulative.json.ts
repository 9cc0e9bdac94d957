// sib-cumulative.json: Each contract's payments to date, month by month, against its cap (marts.sib_outcome_audit), with. Query: queries/sib-cumulative.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-cumulative');
