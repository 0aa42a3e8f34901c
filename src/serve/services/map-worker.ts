/** Worker-thread entry for one aggregate-map job (see map-run.ts); the answer's bytes are transferred, not copied. */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { computeMap, type MapJob } from './aggregate-map.js';
import { errorReply, type MapWorkerReply } from './map-run.js';

// below the main thread: on Linux this lowers only this thread, so requests and health checks are served first
try { setPriority(10); } catch { /* not permitted here: run at normal priority */ }
const post = (m: MapWorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
try {
  const result = computeMap(workerData as MapJob);
  post({ kind: 'result', result }, [result.bytes.buffer as ArrayBuffer]);
} catch (e) {
  post(errorReply(e));
}
