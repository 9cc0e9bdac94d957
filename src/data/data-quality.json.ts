// data-quality.json: queries/data-quality.sql on marts.data_quality,
// published with the suppression rules of pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('data-quality');
