/**
 * worker_threads entry of the parallel CSV reader (csv-parallel.ts): validates the byte ranges it is sent, in
 * order, with readRangePart (csv-range.ts), and posts each range's
 * rows and rejects back with their buffers transferred. Raw rows cross only to the main thread; nothing is logged.
 */
import { parentPort } from 'node:worker_threads';
import { readRangePart } from './csv-range.js';
import type { RangeInit, RangeMessage, RangeRequest } from './csv-parallel.js';

const port = parentPort;
if (!port) throw new Error('csv-range-worker runs as a worker thread');
let init: RangeInit | null = null;
let queue = Promise.resolve();

port.on('message', (m: RangeInit | RangeRequest) => {
  if ('cols' in m) { init = m; return; }
  queue = queue.then(() => readRange(m));
});

async function readRange(req: RangeRequest): Promise<void> {
  try {
    const r = await readRangePart(init!, req);
    const { part } = r;
    const transfer: ArrayBuffer[] = [part.t.buffer, part.lat.buffer, part.lon.buffer, part.cat.buffer, part.line.buffer] as ArrayBuffer[];
    if (part.hashKey) transfer.push(part.hashKey.buffer as ArrayBuffer);
    if (part.hashLanes) transfer.push(part.hashLanes.buffer as ArrayBuffer);
    if (part.idSlots) transfer.push(part.idSlots.buffer as ArrayBuffer);
    port!.postMessage(r satisfies RangeMessage, transfer);
  } catch (err) {
    const e = err as Error;
    port!.postMessage({ kind: 'error', index: req.index, message: e.message } satisfies RangeMessage);
  }
}
