/** worker_threads entry: registers every model, runs one backtest, posts the result (buffers transferred). */
import { parentPort, workerData } from 'node:worker_threads';
import '../../models/all.js';
import { runBacktest } from './engine.js';
import type { WorkerMessage, WorkerRequest } from './parallel.js';

const req = workerData as WorkerRequest;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

runBacktest(req.data, req.spec, { ...req.opts, onProgress: (done, total) => post({ kind: 'progress', done, total }) })
  .then((result) => {
    // forecasts (if kept) are cloned; the big result arrays move without a copy
    post({ kind: 'result', result }, [result.mean.buffer, result.pAny.buffer, result.logScore.buffer, result.rps.buffer] as ArrayBuffer[]);
  })
  .catch((e: unknown) => post({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
