/** Worker-thread entry for one aggregate-map job (see map-run.ts); the answer's bytes are transferred, not copied. */
import { parentPort, workerData } from 'node:worker_threads';
import { computeMap, type MapJob } from './aggregate-map.js';
import { errorReply, type MapWorkerReply } from './map-run.js';

const post = (m: MapWorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
try {
  const result = computeMap(workerData as MapJob);
  post({ kind: 'result', result }, [result.bytes.buffer as ArrayBuffer]);
} catch (e) {
  post(errorReply(e));
}
