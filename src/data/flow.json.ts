// flow.json: The flow from enrolment to completion, to the type of the first job, to the repayment status of the. Query: queries/flow.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('flow');
