/**
 * Scoring one configuration on validation periods: a rolling-origin backtest over the last `periods` periods
 * before `valEnd` (the first test period), so every forecast and every fit only sees periods before valEnd.
 */
import type { BacktestResult } from '../backtest/engine.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { poissonUnitDeviance } from '../metrics/counts.js';

export const VALIDATION_METRICS = ['logscore', 'deviance', 'mae', 'brier'] as const;
export type ValidationMetric = (typeof VALIDATION_METRICS)[number];

/** Mean loss per cell of a validation backtest (lower is better). */
export function validationLoss(res: BacktestResult, tensor: CountTensor, metric: ValidationMetric): number {
  const RC = res.regions * res.categories, P = res.testEnd - res.testStart, n = P * RC;
  if (metric === 'logscore') {
    let s = 0;
    for (const v of res.logScore) s += v;
    return s / n;
  }
  let s = 0;
  const obs = tensor.data.subarray(res.testStart * RC, res.testEnd * RC);
  for (let i = 0; i < n; i++) {
    const y = obs[i];
    if (metric === 'mae') s += Math.abs(res.mean[i] - y);
    else if (metric === 'deviance') s += poissonUnitDeviance(res.mean[i], y);
    else { const e = res.pAny[i] - (y > 0 ? 1 : 0); s += e * e; }
  }
  return s / n;
}
