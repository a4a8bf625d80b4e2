/** Worker thread entry: read the byte range in workerData, post the RangeResult back. */
import { parentPort, workerData } from 'node:worker_threads';
import { type RangeJob, readRange } from './range.ts';

parentPort!.postMessage(await readRange(workerData as RangeJob));
