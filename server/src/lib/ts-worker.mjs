// Bootstrap of every worker thread: registers tsx, then loads the TypeScript entry named in
// workerData. (Node 20 does not apply `--import tsx` hooks to a worker's own entry file.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
