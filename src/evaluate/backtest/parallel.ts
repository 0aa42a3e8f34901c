/**
 * Several models' backtests at once on worker_threads. Workers run the compiled JS in dist/ (vitest and
 * ts-node callers run from src/, so the path is resolved from the package root, which is three levels up from
 * both src/evaluate/backtest and dist/evaluate/backtest). Falls back to running in-process, one model after
 * another, when dist is missing, for a single model, or for model instances (not serialisable). Spatial units
 * are objects with methods that cannot cross a thread boundary: workers rebuild them from their serialisable
 * `spec` (a polygon set built in memory, with no source file, keeps the run in-process).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runBacktest, type BacktestData, type BacktestOptions, type BacktestResult, type ModelInput } from './engine.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WORKER_PATH = fileURLToPath(new URL('../../../dist/evaluate/backtest/worker.js', import.meta.url));

export interface ParallelOptions extends BacktestOptions {
  /** Worker threads (default: min(models, cores − 1)); 0 or 1 runs in-process. */
  workers?: number;
  /** Compiled worker entry (default: dist/evaluate/backtest/worker.js under the package root). */
  workerPath?: string;
  /** Per-model progress: model index, blocks done, blocks total. */
  onModelProgress?: (model: number, done: number, total: number) => void;
}

/** Serialisable part of BacktestData (what a worker receives). */
export type WorkerData = Omit<BacktestData, 'units'>;
export interface WorkerRequest { data: WorkerData; unitsSpec?: Record<string, unknown>; unitIds?: string[]; spec: string; opts: Omit<BacktestOptions, 'onProgress'> }
export type WorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'result'; result: BacktestResult }
  | { kind: 'error'; message: string };

/** Whether a worker can rebuild the unit set from its spec. */
function unitsTravel(data: BacktestData): boolean {
  const s = data.units?.spec;
  return !data.units || (!!s && (s.kind !== 'polygons' || typeof s.source === 'string'));
}

export function canUseWorkers(data: BacktestData, models: ModelInput[], workers: number, workerPath = WORKER_PATH): boolean {
  return whyInProcess(data, models, workers, workerPath) === null;
}

/** Why the models run in-process one after another (null when workers can be used). */
export function whyInProcess(data: BacktestData, models: ModelInput[], workers: number, workerPath = WORKER_PATH): string | null {
  if (workers <= 1) return 'one worker';
  if (models.length <= 1) return 'a single model';
  if (!unitsTravel(data)) return 'the spatial units were built in memory with no source file, so worker threads cannot rebuild them';
  if (!models.every((m) => typeof m === 'string')) return 'model instances cannot be sent to worker threads';
  if (!existsSync(workerPath)) return `the compiled worker ${workerPath} is missing (run \`npm run build\`)`;
  return null;
}

export async function runBacktests(data: BacktestData, models: ModelInput[], opts: ParallelOptions): Promise<BacktestResult[]> {
  const { workers: wanted, onModelProgress, workerPath = WORKER_PATH, ...rest } = opts;
  const workers = Math.min(models.length, wanted ?? Math.max(1, availableParallelism() - 1));
  const why = whyInProcess(data, models, workers, workerPath);
  if (why !== null) {
    // only a request the user made and we did not honour is worth a warning
    const ranIn = wanted !== undefined && wanted > 1 && models.length > 1 ? `ran in-process, one model after another, although ${wanted} worker threads were requested: ${why}` : undefined;
    const out: BacktestResult[] = [];
    for (let i = 0; i < models.length; i++) {
      const r = await runBacktest(data, models[i], { ...rest, onProgress: (d, t) => onModelProgress?.(i, d, t) });
      out.push(ranIn ? { ...r, ranIn } : r);
    }
    return out;
  }
  const { units: _u, ...plain } = data;
  const { onProgress: _p, ...wopts } = rest;
  const results = new Array<BacktestResult>(models.length);
  let next = 0;
  const lane = async () => {
    while (next < models.length) {
      const i = next++;
      results[i] = await inWorker(workerPath, { data: plain, unitsSpec: data.units?.spec, unitIds: data.units?.ids, spec: models[i] as string, opts: wopts }, (d, t) => onModelProgress?.(i, d, t));
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  return results;
}

function inWorker(workerPath: string, req: WorkerRequest, progress: (done: number, total: number) => void): Promise<BacktestResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerPath, { workerData: req });
    let settled = false;
    w.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') progress(m.done, m.total);
      else if (m.kind === 'result') { settled = true; resolve(m.result); void w.terminate(); }
      else { settled = true; reject(new Error(`backtest of ${req.spec} failed in a worker: ${m.message}`)); void w.terminate(); }
    });
    w.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    w.on('exit', (code) => { if (!settled) reject(new Error(`backtest worker for ${req.spec} exited with code ${code}`)); });
  });
}
