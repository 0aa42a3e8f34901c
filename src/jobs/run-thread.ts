/**
 * worker_threads entry that runs jobs one at a time for a worker process. Jobs run here, off the process's event
 * loop, so the queue lock keeps being renewed while a model fits for minutes, and a cancelled job is stopped at once
 * by terminating the thread. The thread lives across jobs so its cache (e.g. a grid search's dataset) is reused.
 */
import { parentPort, workerData } from 'node:worker_threads';
import './kinds/all.js';
import { getJobKind, parseJobParams, type JobContext } from './kinds/registry.js';
import type { FromThread, ThreadInit, ToThread } from './thread-protocol.js';

const init = workerData as ThreadInit;
const cache = new Map<string, unknown>();
const post = (m: FromThread) => parentPort!.postMessage(m);

parentPort!.on('message', async (m: ToThread) => {
  if (m.type !== 'run') return;
  const ctx: JobContext = { store: init.store, cache, progress: (fraction, message) => post({ type: 'progress', seq: m.seq, fraction, message }) };
  let params: unknown;
  try {
    params = parseJobParams(m.kind, m.params);
  } catch (e) {
    // parameters that fail their schema never become valid: the worker fails the job without retrying
    post({ type: 'error', seq: m.seq, message: (e as Error).message, input: true });
    return;
  }
  try {
    const result = await getJobKind(m.kind).run(params, ctx);
    post({ type: 'result', seq: m.seq, result });
  } catch (e) {
    post({ type: 'error', seq: m.seq, message: e instanceof Error ? e.message : String(e), input: false });
  }
});
