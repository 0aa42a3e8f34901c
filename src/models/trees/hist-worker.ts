/**
 * A worker thread that runs the histogram kernel (hist-kernel.wat) over some features of a node while the main
 * thread runs the others, on the same shared WebAssembly memory. Each feature's sums are the same additions in
 * the same order as on one thread, so histograms stay bit-identical.
 *
 * Hand-off is synchronous through a shared Int32Array (the grower is synchronous): ctl[0] is 2 when the worker
 * is idle or done, 1 when a job is posted (arguments in ctl[1 … 9]), −1 to quit, −2 when the job threw.
 */
import { Worker } from 'node:worker_threads';
import type { WasmMemory } from '../../util/wasm.js';

// plain JavaScript, evaluated in the worker (a CommonJS script: no module resolution needed under tests or dist)
const SOURCE = `
const { workerData } = require('node:worker_threads');
const c = new Int32Array(workerData.ctl);
const { hist2 } = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
for (;;) {
  Atomics.wait(c, 0, 2);
  const s = Atomics.load(c, 0);
  if (s === -1) break;
  if (s !== 1) continue;
  try { hist2(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]); Atomics.store(c, 0, 2); }
  catch { Atomics.store(c, 0, -2); }
  Atomics.notify(c, 0);
}
`;

/** How long the main thread waits for one histogram before it reports the worker as stuck. */
const STUCK_MS = 60_000;

export class HistWorker {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(16 * 4));
  private readonly worker: Worker;

  constructor(module: object, memory: WasmMemory) {
    this.ctl[0] = 2;
    this.worker = new Worker(SOURCE, { eval: true, workerData: { module, memory, ctl: this.ctl.buffer } });
    this.worker.unref(); // an idle worker never keeps the process alive
  }

  /** Posts hist2(args…) to the worker; returns at once. */
  post(args: readonly number[]): void {
    for (let i = 0; i < args.length; i++) this.ctl[1 + i] = args[i];
    Atomics.store(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
  }

  /** Blocks until the posted job is done. */
  wait(): void {
    const t0 = Date.now();
    for (;;) {
      const s = Atomics.load(this.ctl, 0);
      if (s === 2) return;
      if (s === -2) throw new Error('gbm histogram worker: the WebAssembly kernel failed (see threads option: 1 avoids the worker)');
      if (Date.now() - t0 > STUCK_MS) throw new Error(`gbm histogram worker: no answer in ${STUCK_MS / 1000} s (threads: 1 avoids the worker)`);
      Atomics.wait(this.ctl, 0, s, 1000);
    }
  }

  close(): void {
    Atomics.store(this.ctl, 0, -1);
    Atomics.notify(this.ctl, 0);
    void this.worker.terminate();
  }
}
