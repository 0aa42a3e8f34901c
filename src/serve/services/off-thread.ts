/**
 * Runs one CPU-bound computation in a worker thread and settles with its reply: the result, or the error with its
 * HTTP status kept (4xx with hint; anything else internal). Used for forecast fits and audits; map jobs have their
 * own runner (map-run.ts) with a deadline, a heap cap and a queue.
 */
import { Worker } from 'node:worker_threads';
import { HttpError } from '../http-error.js';
import type { MapWorkerReply } from './map-run.js';

export type WorkerReply<R> = { kind: 'result'; result: R } | Extract<MapWorkerReply, { kind: 'error' }>;

export function runWorker<R>(file: string, workerData: unknown, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData });
    let settled = false;
    const done = (f: () => void) => { if (!settled) { settled = true; f(); void w.terminate(); } };
    w.on('message', (m: WorkerReply<R>) => done(() => {
      if (m.kind === 'result') resolve(m.result);
      else reject(m.status >= 400 && m.status < 500 ? new HttpError(m.status as HttpError['status'], m.message, m.hint) : new Error(m.message));
    }));
    w.on('error', (e) => done(() => reject(e)));
    w.on('exit', (code) => done(() => reject(new Error(`${what} worker exited with code ${code}`))));
  });
}
