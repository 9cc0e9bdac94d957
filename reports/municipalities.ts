// Municipality names for report covers: the official list (pipelines/reference/municipalities.ts).
export { municipalityName } from '../pipelines/reference/municipalities.ts';
