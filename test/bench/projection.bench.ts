// The CIB projection at the size the issue names: 10,000 open agreements, the model's number of
// draws. Prints time and quantiles; asserts nothing.
import { projectRecovery } from '../../pipelines/metrics/cib/index.ts';
import { PROJECTION_DRAWS } from '../../pipelines/models/marts/cib_projection.ts';
import { syntheticCibBook } from '../fixtures/synthetic-cib-book.ts';

const AGREEMENTS = 10_000;
const { agreements, donors } = syntheticCibBook(AGREEMENTS);
const t0 = performance.now();
const result = projectRecovery({ agreements, donors, collectedJpy: 0, fundedJpy: AGREEMENTS * 1_000_000, startYear: 2026, startMonthOfYear: 10, draws: PROJECTION_DRAWS, seed: 1 });
const seconds = (performance.now() - t0) / 1000;
const r = result.finalRecoveryRate;
console.log(`\nCIB projection: ${AGREEMENTS} agreements × ${PROJECTION_DRAWS} draws in ${seconds.toFixed(2)} s; final recovery P10/P50/P90 ${r.p10.toFixed(4)} / ${r.p50.toFixed(4)} / ${r.p90.toFixed(4)}`);
console.log(JSON.stringify({ benchmark: 'cib_projection', agreements: AGREEMENTS, draws: PROJECTION_DRAWS, seconds: +seconds.toFixed(2) }));
