// The CIB projection at the size the issue names: 10,000 open agreements, the model's number of
// draws, on one thread and shared among worker threads (as the build does for a large book; the same
// result to the bit). Prints time and quantiles; asserts nothing.
import { availableParallelism } from 'node:os';
import { projectRecovery, projectRecoveryInWorkers } from '../../pipelines/metrics/cib/index.ts';
import { PROJECTION_DRAWS } from '../../pipelines/models/marts/cib_projection.ts';
import { syntheticCibBook } from '../fixtures/synthetic-cib-book.ts';

const AGREEMENTS = 10_000;
const WORKERS = Math.min(availableParallelism(), 4);
const { agreements, donors } = syntheticCibBook(AGREEMENTS);
const input = { agreements, donors, collectedJpy: 0, fundedJpy: AGREEMENTS * 1_000_000, startYear: 2026, startMonthOfYear: 10, draws: PROJECTION_DRAWS, seed: 1 };
let t0 = performance.now();
const result = projectRecovery(input);
const seconds = (performance.now() - t0) / 1000;
t0 = performance.now();
const inWorkers = await projectRecoveryInWorkers(input, WORKERS);
const workerSeconds = (performance.now() - t0) / 1000;
if (JSON.stringify(inWorkers) !== JSON.stringify(result)) throw new Error('The projection in worker threads differs from the one on one thread.');
const r = result.finalRecoveryRate;
console.log(
  `\nCIB projection: ${AGREEMENTS} agreements × ${PROJECTION_DRAWS} draws in ${seconds.toFixed(2)} s on one thread, ${workerSeconds.toFixed(2)} s in ${WORKERS} worker threads (same result); ` +
    `final recovery P10/P50/P90 ${r.p10.toFixed(4)} / ${r.p50.toFixed(4)} / ${r.p90.toFixed(4)}`,
);
console.log(JSON.stringify({ benchmark: 'cib_projection', agreements: AGREEMENTS, draws: PROJECTION_DRAWS, seconds: +seconds.toFixed(2), workers: WORKERS, worker_seconds: +workerSeconds.toFixed(2) }));
