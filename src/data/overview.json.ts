// overview.json: queries/overview.sql on marts.impact_funnel, marts.impact_income, marts.cib_fund, marts.sib_outcome_audit,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('overview');
