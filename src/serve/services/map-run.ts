/**
 * Runs aggregate-map jobs off the event loop: each in a worker thread with a heap cap, stopped at a deadline, at most
 * `concurrent` at once and `queue` waiting (then 503 with Retry-After), so one heavy request cannot stall /api/health
 * or the other users. In-process (blocking) only when threads are off or the compiled worker is missing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError } from '../../util/errors.js';
import { HttpError } from '../http-error.js';
import { computeMap, type MapJob, type MapOutcome } from './aggregate-map.js';
import type { MapLimits } from './map-limits.js';

export const MAP_WORKER = fileURLToPath(new URL('../../../dist/serve/services/map-worker.js', import.meta.url));

export type MapWorkerReply = { kind: 'result'; result: MapOutcome } | { kind: 'error'; status: number; message: string; hint?: string };

/** The reply a worker sends for an error: 4xx keep their status and hint; anything else is internal (500). */
export function errorReply(e: unknown): MapWorkerReply {
  if (e instanceof HttpError) return { kind: 'error', status: e.status, message: e.message, hint: e.hint };
  if (e instanceof UserError) return { kind: 'error', status: 400, message: e.message, hint: e.hint };
  return { kind: 'error', status: 500, message: (e as Error).message };
}

export class MapRunner {
  private running = 0;
  private waiting: (() => void)[] = [];
  private perOwner = new Map<string, number>();

  constructor(private readonly limits: MapLimits, private readonly threads: boolean) {}

  /** Whether jobs run in worker threads (else on the event loop). */
  get offThread(): boolean { return this.threads && existsSync(MAP_WORKER); }

  /**
   * Runs `work` (load the incidents, then `compute` them) once a slot is free: the slot is taken before the
   * incidents are loaded, so a flood of map requests cannot hold a copy of the data each while it waits.
   */
  async slot<T>(work: (compute: (job: MapJob) => Promise<MapOutcome>) => Promise<T>, owner = ''): Promise<T> {
    // one user cannot fill the queue: at most `concurrent` maps each, running or waiting
    const mine = this.perOwner.get(owner) ?? 0;
    if (owner && mine >= this.limits.concurrent) {
      throw new HttpError(429, `you have ${mine} map analyses running or waiting`, 'wait for them to finish before asking for another');
    }
    if (owner) this.perOwner.set(owner, mine + 1);
    try {
      return await this.queued(work);
    } finally {
      if (owner) {
        const left = (this.perOwner.get(owner) ?? 1) - 1;
        if (left > 0) this.perOwner.set(owner, left); else this.perOwner.delete(owner);
      }
    }
  }

  private async queued<T>(work: (compute: (job: MapJob) => Promise<MapOutcome>) => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrent) {
      if (this.waiting.length >= this.limits.queue) {
        throw new HttpError(503, `the server is busy with ${this.running} map analyses and ${this.waiting.length} waiting`, 'retry in a few seconds');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await work((job) => (this.offThread ? this.inWorker(job) : Promise.resolve().then(() => computeMap(job))));
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  run(job: MapJob): Promise<MapOutcome> {
    return this.slot((compute) => compute(job));
  }

  private inWorker(job: MapJob): Promise<MapOutcome> {
    return new Promise((resolve, reject) => {
      // the coordinates move to the worker (they are this request's own copy)
      const w = new Worker(MAP_WORKER, { workerData: job, transferList: [job.lat.buffer as ArrayBuffer, job.lon.buffer as ArrayBuffer], resourceLimits: { maxOldGenerationSizeMb: this.limits.workerHeapMb } });
      let settled = false;
      const done = (f: () => void) => { if (!settled) { settled = true; clearTimeout(timer); f(); void w.terminate(); } };
      const timer = setTimeout(() => done(() => reject(new HttpError(503, `the analysis ran past ${this.limits.timeoutMs / 1000} s and was stopped`, 'use coarser units, fewer neighbours or a shorter date range'))), this.limits.timeoutMs);
      w.on('message', (m: MapWorkerReply) => done(() => {
        if (m.kind === 'result') resolve(m.result);
        else if (m.status >= 400 && m.status < 500) reject(new HttpError(m.status as HttpError['status'], m.message, m.hint));
        else reject(new Error(m.message));
      }));
      w.on('error', (e: Error & { code?: string }) => done(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new HttpError(503, `the analysis needed more than ${this.limits.workerHeapMb} MB and was stopped`, 'use coarser units, fewer neighbours or a shorter date range')
        : e)));
      w.on('exit', (code) => done(() => reject(new Error(`map worker exited with code ${code}`))));
    });
  }
}
