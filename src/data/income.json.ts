// income.json: queries/income.sql on marts.impact_income,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('income');
