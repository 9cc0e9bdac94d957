// data-quality.json: Loads and rejected rows per entity, column and kind of problem (marts.data_quality). Query: queries/data-quality.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('data-quality');
