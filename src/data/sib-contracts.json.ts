// sib-contracts.json: queries/sib-contracts.sql on marts.sib_investor_returns, marts.sib_outcome_audit, core.sib_referrals,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('sib-contracts');
