/** One job slot of a worker process: a lazily started thread (run-thread.ts) that can be killed and replaced. */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { FromThread, ThreadInit, ToThread } from './thread-protocol.js';

/** A job whose parameters fail their schema: retrying cannot fix it. */
export class JobInputError extends Error {}

export class JobThread {
  private worker: Worker | null = null;
  private seq = 0;
  private pending: { seq: number; resolve: (v: unknown) => void; reject: (e: Error) => void; progress: (f: number, m?: string) => void } | null = null;

  constructor(private readonly init: ThreadInit, private readonly entry = fileURLToPath(new URL('./run-thread.js', import.meta.url))) {}

  private start(): Worker {
    const w = new Worker(this.entry, { workerData: this.init });
    w.on('message', (m: FromThread) => {
      const p = this.pending;
      if (!p || m.seq !== p.seq) return;
      if (m.type === 'progress') p.progress(m.fraction, m.message);
      else {
        this.pending = null;
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(m.input ? new JobInputError(m.message) : new Error(m.message));
      }
    });
    const died = (e: Error) => {
      if (this.worker === w) this.worker = null;
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`job thread exited (code ${code})`)));
    return w;
  }

  run(kind: string, params: unknown, progress: (fraction: number, message?: string) => void): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error('this job slot is busy'));
    this.worker ??= this.start();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending = { seq, resolve, reject, progress };
      this.worker!.postMessage({ type: 'run', seq, kind, params } satisfies ToThread);
    });
  }

  /** Stop the running job now (the thread is terminated; the next run starts a fresh one). */
  async kill(reason: Error): Promise<void> {
    const w = this.worker, p = this.pending;
    this.worker = null;
    this.pending = null;
    p?.reject(reason);
    if (w) await w.terminate();
  }

  async close(): Promise<void> {
    await this.kill(new Error('worker closing'));
  }
}
