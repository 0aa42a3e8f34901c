/**
 * `select-best`: per category and per group of areas, the member with the best validation score. Areas are
 * grouped by activity level (quantiles of their mean count over the training history, per category) rather than
 * chosen cell by cell: a single cell's few validation counts are too noisy to pick a model on, a group of
 * similar cells is not. groups=1 selects per category only.
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import type { History } from '../forecaster.js';
import type { ValidationSet } from './validation.js';
import { EnsembleForecaster, ensembleParams, type Combination, type EnsembleParams } from './ensemble-base.js';

export type SelectionMetric = 'logscore' | 'deviance' | 'mae';
export interface SelectBestParams extends EnsembleParams { groups: number; metric: SelectionMetric }

/** Activity group (0 = quietest) of each cell j = r * C + c: rank of the region's mean count within its category. */
export function activityGroups(history: History, groups: number, perCategory: boolean): Int32Array {
  const t = history.tensor, { regions: R, categories: C, periods: T } = t, RC = R * C;
  const rate = new Float64Array(RC);
  for (let p = 0; p < T; p++) for (let j = 0; j < RC; j++) rate[j] += t.data[p * RC + j];
  const out = new Int32Array(RC);
  const ranked = (level: (r: number) => number) => {
    const order = Array.from({ length: R }, (_, r) => r).sort((a, b) => level(a) - level(b) || a - b);
    const g = new Int32Array(R);
    order.forEach((r, k) => { g[r] = Math.floor((k * groups) / R); });
    return g;
  };
  if (perCategory) {
    for (let c = 0; c < C; c++) {
      const g = ranked((r) => rate[r * C + c]);
      for (let r = 0; r < R; r++) out[r * C + c] = g[r];
    }
  } else {
    const g = ranked((r) => { let s = 0; for (let c = 0; c < C; c++) s += rate[r * C + c]; return s; });
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[r * C + c] = g[r];
  }
  return out;
}

/** Validation loss of member m at validation cell i (lower is better). */
function loss(val: ValidationSet, m: number, i: number, metric: SelectionMetric): number {
  const y = val.y[i], mu = val.mean[m][i];
  if (metric === 'logscore') return -val.logp[m][i];
  if (metric === 'mae') return Math.abs(y - mu);
  // unit Poisson deviance, μ floored as in evaluate/metrics/counts.ts
  const mm = Math.max(mu, 1e-10);
  return 2 * ((y > 0 ? y * Math.log(y / mm) : 0) - (y - mm));
}

export class SelectBest extends EnsembleForecaster {
  declare readonly params: Readonly<SelectBestParams>;
  /** After fit: chosen member per (category or 0, group), index (c * groups + g); and the group of each cell. */
  choice?: Int32Array;
  groupOf?: Int32Array;

  protected learn(val: ValidationSet | undefined, history: History): Combination {
    const M = this.memberCount, { regions: R, categories: C } = history.tensor, RC = R * C;
    const G = Math.min(this.params.groups, R), P = this.params.perCategory ? C : 1;
    const groupOf = activityGroups(history, G, this.params.perCategory);
    const total = new Float64Array(P * G * M);
    if (val) {
      for (let v = 0; v < val.periods; v++) {
        for (let j = 0; j < RC; j++) {
          const key = (this.params.perCategory ? j % C : 0) * G + groupOf[j], i = v * RC + j;
          for (let m = 0; m < M; m++) total[key * M + m] += loss(val, m, i, this.params.metric);
        }
      }
    }
    // without validation data every score is 0 and the first member is chosen
    const choice = new Int32Array(P * G);
    for (let k = 0; k < P * G; k++) {
      let best = 0;
      for (let m = 1; m < M; m++) if (total[k * M + m] < total[k * M + best]) best = m;
      choice[k] = best;
    }
    const weight = new Float64Array(M * RC);
    for (let j = 0; j < RC; j++) weight[choice[(this.params.perCategory ? j % C : 0) * G + groupOf[j]] * RC + j] = 1;
    this.choice = choice;
    this.groupOf = groupOf;
    return { weight };
  }
}

registerForecaster({
  name: 'select-best',
  family: 'ensemble',
  description: 'Per category and per activity group of areas (`groups` quantiles of the mean count), the member with the best validation score (log score, deviance or MAE) on the last `validation` training periods. members=a|b|c, a member\'s parameters separated by ";".',
  params: z.object({
    ...ensembleParams,
    groups: z.coerce.number().int().positive().default(3),
    metric: z.enum(['logscore', 'deviance', 'mae']).default('logscore'),
  }),
  create: (p) => new SelectBest('select-best', p),
});
