/** worker_threads entry: registers every model, rebuilds the unit set from its spec, runs one backtest, posts the result (buffers transferred). */
import { parentPort, workerData } from 'node:worker_threads';
import '../../models/all.js';
import { runBacktest, type BacktestData } from './engine.js';
import { unitsFromSpec } from '../../space/build-units.js';
import type { WorkerMessage, WorkerRequest } from './parallel.js';

const req = workerData as WorkerRequest;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

function data(): BacktestData {
  if (!req.unitsSpec) return req.data;
  const units = unitsFromSpec(req.unitsSpec);
  const ids = req.unitIds ?? [];
  if (units.n !== ids.length || units.ids.some((id, i) => id !== ids[i])) throw new Error(`units rebuilt from their spec (${units.n}) differ from the originals (${ids.length})`);
  return { ...req.data, units };
}

Promise.resolve().then(() => runBacktest(data(), req.spec, { ...req.opts, onProgress: (done, total) => post({ kind: 'progress', done, total }) }))
  .then((result) => {
    // forecasts (if kept) are cloned; the big result arrays move without a copy
    post({ kind: 'result', result }, [result.mean.buffer, result.pAny.buffer, result.logScore.buffer, result.rps.buffer] as ArrayBuffer[]);
  })
  .catch((e: unknown) => post({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
