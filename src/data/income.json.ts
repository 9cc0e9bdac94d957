// income.json: Monthly income of completers by months since completion, 0 to 36, with the uplift against their. Query: queries/income.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('income');
