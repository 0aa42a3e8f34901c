/**
 * One backtest job: incidents → dataset → rolling-origin backtest of several models (src/evaluate/protocols/rolling.ts),
 * reduced to what the API serves: the leaderboard with CIs (the CLI's JSON), hit-rate curves, and per-period region
 * totals of each model's forecasts and of the observations (what a fairness audit needs).
 * Runs in a worker thread when the compiled worker exists, so the server keeps answering while it runs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IncidentTable } from '../../data/incident-table.js';
import type { BBox } from '../../space/bbox.js';
import { runRolling } from '../../evaluate/protocols/rolling.js';
import type { ProtocolResult } from '../../evaluate/protocols/types.js';
import { hitRateCurves } from '../../evaluate/report/protocol-report.js';
import { resultJson } from '../../evaluate/report/result-json.js';
import { buildDataset, type Dataset } from '../../tensor/dataset.js';
import { isoLocal, localDateToUtc, type PeriodUnit } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import '../../models/all.js';

export interface BacktestJobInput {
  table: IncidentTable;
  dataset: string;
  units: string;
  /** `units` with the dataset's grid frame spelled out (grid-frame.ts); default `units`. */
  framedUnits?: string;
  /** Extent the grid covers (the dataset's); default the incidents'. */
  bbox?: BBox;
  period: PeriodUnit;
  categories?: string[];
  models: string[];
  testFrom: string;
  horizon: number;
  bootstrap: number;
  seed: number;
}

export interface BacktestOutcome {
  leaderboard: ReturnType<typeof resultJson>;
  hitRateCurves: ReturnType<typeof hitRateCurves>;
  regionIds: string[];
  area: number[];
  testPeriods: string[];
  training: { from: string; to: string };
  /** Per model spec: forecast mean summed over categories, [test period][region]. */
  predictions: Record<string, Float64Array>;
  /** Observed counts summed over categories, [test period][region]. */
  observed: Float64Array;
}

export async function runBacktestJob(i: BacktestJobInput, progress: (fraction: number, message: string) => void): Promise<BacktestOutcome> {
  const t0 = performance.now();
  const data = buildDataset(i.table, { units: i.framedUnits ?? i.units, bbox: i.bbox, period: i.period, categories: i.categories });
  const t = data.tensor;
  const cut = localDateToUtc(i.testFrom, t.tz);
  const testStart = t.periodStart.findIndex((s) => s >= cut);
  if (testStart <= 0) throw new UserError(`testFrom ${i.testFrom} leaves no ${testStart === 0 ? 'training history before it' : 'test periods after it'}`, `the data span ${isoLocal(t.periodStart[0], t.tz)} … ${isoLocal(t.periodStart[t.periods - 1], t.tz)}`);
  const done = new Map<string, number>();
  const result = await runRolling(data, i.models, {
    testStart, horizon: i.horizon, bootstrap: i.bootstrap, seed: i.seed,
    onProgress: (model, f) => { done.set(model, f); progress([...done.values()].reduce((a, b) => a + b, 0) / i.models.length, model); },
  });
  return backtestOutcome(data, result, testStart, (performance.now() - t0) / 1000);
}

/** A rolling backtest as a job's result (also how `crimecast demo` saves its backtest for `serve`). */
export function backtestOutcome(data: Dataset, result: ProtocolResult, testStart: number, seconds: number): BacktestOutcome {
  const t = data.tensor, R = t.regions, C = t.categories;
  const T = t.periods - testStart;
  const observed = new Float64Array(T * R);
  for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) observed[p * R + r] += t.data[((testStart + p) * R + r) * C + c];
  const predictions: Record<string, Float64Array> = {};
  for (const b of result.backtests) {
    const m = new Float64Array(T * R);
    for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) m[p * R + r] += b.mean[(p * R + r) * C + c];
    predictions[b.spec] = m;
  }
  return {
    leaderboard: resultJson(result, seconds),
    hitRateCurves: hitRateCurves(result, result.observed!, data.units.area),
    regionIds: t.regionIds, area: Array.from(data.units.area),
    testPeriods: Array.from(result.testPeriodStart, (s) => isoLocal(s, t.tz)),
    training: { from: isoLocal(t.periodStart[0], t.tz), to: isoLocal(t.periodStart[testStart - 1], t.tz) },
    predictions, observed,
  };
}

export const BACKTEST_WORKER = fileURLToPath(new URL('../../../dist/serve/services/backtest-worker.js', import.meta.url));

export type WorkerReply = { kind: 'progress'; fraction: number; message: string } | { kind: 'result'; result: BacktestOutcome } | { kind: 'error'; message: string; user: boolean; hint?: string };

/** In a worker thread when `threads` and the compiled worker exist; in-process otherwise. */
export function runBacktestAnywhere(i: BacktestJobInput, progress: (fraction: number, message: string) => void, threads: boolean): Promise<BacktestOutcome> {
  if (!threads || !existsSync(BACKTEST_WORKER)) return runBacktestJob(i, progress);
  return new Promise((resolve, reject) => {
    const w = new Worker(BACKTEST_WORKER, { workerData: i });
    let settled = false;
    w.on('message', (m: WorkerReply) => {
      if (m.kind === 'progress') progress(m.fraction, m.message);
      else {
        settled = true;
        if (m.kind === 'result') resolve(m.result);
        else reject(m.user ? new UserError(m.message, m.hint) : new Error(m.message));
        void w.terminate();
      }
    });
    w.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    w.on('exit', (code) => { if (!settled) reject(new Error(`backtest worker exited with code ${code}`)); });
  });
}
