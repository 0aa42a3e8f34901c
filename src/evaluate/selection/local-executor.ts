/**
 * The in-machine TrialExecutor: trials with the same number of validation periods are backtested together by
 * runBacktests (worker_threads when `workers` > 1 and dist/ is built, else in-process, one after another).
 */
import { runBacktest, type BacktestData } from '../backtest/engine.js';
import { runBacktests } from '../backtest/parallel.js';
import type { Trial, TrialExecutor, TrialResult } from './executor.js';
import { validationLoss, type ValidationMetric } from './validation-score.js';

export interface LocalExecutorOptions {
  data: BacktestData;
  /** First period the search must never see (the first test period); validation ends just before it. */
  valEnd: number;
  metric: ValidationMetric;
  refitEvery?: number;
  seed?: number;
  /** Worker threads (default 1: in-process). */
  workers?: number;
  onTrial?: (result: TrialResult) => void;
}

/** What scoring one trial needs: the data, where validation ends, and how it is backtested and scored. */
export type TrialScoring = Pick<LocalExecutorOptions, 'data' | 'valEnd' | 'metric' | 'refitEvery' | 'seed'>;

export function checkTrialPeriods(t: Trial, valEnd: number): void {
  if (!(Number.isInteger(t.periods) && t.periods >= 1 && t.periods < valEnd)) {
    throw new RangeError(`trial ${t.id}: ${t.periods} validation periods do not fit before period ${valEnd}`);
  }
}

function backtestOptions(s: TrialScoring, periods: number) {
  return { testStart: s.valEnd - periods, testEnd: s.valEnd, refitEvery: s.refitEvery ?? 1, seed: s.seed ?? 1 };
}

/**
 * One trial, backtested in this thread and scored; a failing model gives score = Infinity with `error` (the
 * executor contract). Also what a queue worker's `trial` job runs, so local and distributed scores are identical.
 */
export async function scoreTrial(s: TrialScoring, t: Trial): Promise<TrialResult> {
  checkTrialPeriods(t, s.valEnd);
  const t1 = performance.now();
  try {
    const res = await runBacktest(s.data, t.spec, backtestOptions(s, t.periods));
    return { id: t.id, spec: t.spec, periods: t.periods, score: validationLoss(res, s.data.tensor, s.metric), seconds: (performance.now() - t1) / 1000 };
  } catch (e) {
    return { id: t.id, spec: t.spec, periods: t.periods, score: Infinity, seconds: (performance.now() - t1) / 1000, error: e instanceof Error ? e.message : String(e) };
  }
}

export class LocalExecutor implements TrialExecutor {
  constructor(private readonly o: LocalExecutorOptions) {}

  async runTrials(trials: Trial[]): Promise<TrialResult[]> {
    const byPeriods = new Map<number, Trial[]>();
    for (const t of trials) {
      checkTrialPeriods(t, this.o.valEnd);
      byPeriods.set(t.periods, [...(byPeriods.get(t.periods) ?? []), t]);
    }
    const out: TrialResult[] = [];
    for (const [periods, group] of byPeriods) out.push(...(await this.runGroup(periods, group)));
    return out;
  }

  private async runGroup(periods: number, group: Trial[]): Promise<TrialResult[]> {
    const { data, metric } = this.o;
    const opts = backtestOptions(this.o, periods);
    const t0 = performance.now();
    if ((this.o.workers ?? 1) > 1 && group.length > 1) {
      try {
        const res = await runBacktests(data, group.map((t) => t.spec), { ...opts, workers: this.o.workers });
        const each = (performance.now() - t0) / 1000 / group.length;
        return group.map((t, k) => this.done({ id: t.id, spec: t.spec, periods, score: validationLoss(res[k], data.tensor, metric), seconds: each }));
      } catch {
        // one failing trial rejects the whole batch: fall through and run them one by one to attribute the error
      }
    }
    const out: TrialResult[] = [];
    for (const t of group) out.push(this.done(await scoreTrial(this.o, t)));
    return out;
  }

  private done(r: TrialResult): TrialResult {
    this.o.onTrial?.(r);
    return r;
  }
}
