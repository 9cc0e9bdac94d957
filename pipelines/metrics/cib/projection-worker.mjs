// A projection worker thread: tallies its share of the open agreements (pipelines/metrics/cib/projection.ts,
// projectRecoveryInWorkers). Plain JavaScript because a worker starts without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { tallyShare, unpackInput } = await import('./projection.ts');
const { packed, share } = workerData;
const tally = tallyShare(unpackInput(packed), share);
parentPort.postMessage(tally, [tally.collected.buffer, tally.byYear.buffer]);
