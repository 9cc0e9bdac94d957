// data-quality-unreported.json: Unreported income months of CIB agreements in their payment window, month by month. Query: queries/data-quality-unreported.sql; source and suppression rules: pipelines/dashboard/tables.ts.
import { publish } from '../../pipelines/dashboard/publish.ts';

await publish('data-quality-unreported');
