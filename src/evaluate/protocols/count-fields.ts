/**
 * Count-regression metrics as protocol fields: MAE, RMSE, Poisson deviance, masked MAE / MAPE (cells with y > 0,
 * as ST-HSL reports) the log score and RPS, per category and pooled. Sums come from metrics/counts.ts.
 */
import { countSumsPeriod } from '../metrics/counts.js';
import type { LossOptimalPoints } from '../point-forecasts.js';

/**
 * Sums for the named loss-optimal functionals (src/evaluate/point-forecasts.ts): each masked or absolute metric is
 * also scored on the point forecast that minimises it, with two honesty figures beside it — the share of ALL cells
 * where that functional forecasts ≥ 1, and its unmasked MAE — so a masked win bought by forecasting ≥ 1 everywhere
 * shows at once.
 */
const POINT_SUMS = ['medAbs', 'pmMaskedAbs', 'pmAbs', 'pmAtLeast1', 'pxMaskedApe', 'pxAbs', 'pxAtLeast1'] as const;
import type { FieldLayout } from './field-layout.js';
import type { MetricDef } from './types.js';

const SUMS = ['absErr', 'sqErr', 'dev', 'n', 'maskedAbsErr', 'maskedApe', 'maskedN'] as const;

export interface CountFields {
  metrics: MetricDef[];
  /** "bias/<group>": mean forecast ÷ mean actual over all cells (shown beside the metrics, not ranked). */
  diagnostics: MetricDef[];
  /** Writes one period's fields into `row` (pred and observed: regions × categories; summed log score and RPS per category). */
  fill(row: Float64Array, pred: ArrayLike<number>, observed: ArrayLike<number>, logScore: ArrayLike<number>, rps: ArrayLike<number>, points?: LossOptimalPoints): void;
}

export function countFields(layout: FieldLayout, categories: string[]): CountFields {
  const C = categories.length;
  const idx = SUMS.map((k) => categories.map((c) => layout.add(`${k}/${c}`)));
  const ls = categories.map((c) => layout.add(`logScore/${c}`));
  const rp = categories.map((c) => layout.add(`rps/${c}`));
  const predSum = categories.map((c) => layout.add(`predSum/${c}`)), obsSum = categories.map((c) => layout.add(`obsSum/${c}`));
  const pIdx = POINT_SUMS.map((k) => categories.map((c) => layout.add(`${k}/${c}`)));
  const [medAbs, pmMaskedAbs, pmAbs, pmAtLeast1, pxMaskedApe, pxAbs, pxAtLeast1] = pIdx;
  const diagnostics: MetricDef[] = [];
  const [abs, sq, dev, n, mAbs, mApe, mN] = idx;
  const sum = (cols: number[]) => (t: Float64Array) => cols.reduce((s, k) => s + t[k], 0);
  const groups: [string, number[]][] = [...categories.map((c, j): [string, number[]] => [c, [j]]), ['all', categories.map((_, j) => j)]];
  const metrics: MetricDef[] = [];
  for (const [label, cs] of groups) {
    const pick = (f: number[]) => sum(cs.map((j) => f[j]));
    const [A, S, D, N, MA, MP, MN, L, RP] = [abs, sq, dev, n, mAbs, mApe, mN, ls, rp].map(pick);
    const div = (a: (t: Float64Array) => number, b: (t: Float64Array) => number) => (t: Float64Array) => (b(t) > 0 ? a(t) / b(t) : NaN);
    const PS = pick(predSum), OS = pick(obsSum);
    diagnostics.push({ name: `bias/${label}`, better: 'lower', stat: div(PS, OS) });
    const [MED, PMM, PMA, PM1, PXM, PXA, PX1] = pIdx.map(pick);
    diagnostics.push(
      { name: `share≥1[positive-median]/${label}`, better: 'lower', stat: div(PM1, N) },
      { name: `MAE[positive-median]/${label}`, better: 'lower', stat: div(PMA, N) },
      { name: `share≥1[positive-mape]/${label}`, better: 'lower', stat: div(PX1, N) },
      { name: `MAE[positive-mape]/${label}`, better: 'lower', stat: div(PXA, N) },
    );
    metrics.push(
      { name: `maskedMAE/${label}`, better: 'lower', stat: div(MA, MN) },
      { name: `maskedMAE[positive-median]/${label}`, better: 'lower', stat: div(PMM, MN) },
      { name: `maskedMAPE/${label}`, better: 'lower', stat: div(MP, MN) },
      { name: `maskedMAPE[positive-mape]/${label}`, better: 'lower', stat: div(PXM, MN) },
      { name: `MAE/${label}`, better: 'lower', stat: div(A, N) },
      { name: `MAE[median]/${label}`, better: 'lower', stat: div(MED, N) },
      { name: `RMSE/${label}`, better: 'lower', stat: (t) => Math.sqrt(div(S, N)(t)) },
      { name: `deviance/${label}`, better: 'lower', stat: div(D, N) },
      { name: `logScore/${label}`, better: 'lower', stat: div(L, N) },
      { name: `RPS/${label}`, better: 'lower', stat: div(RP, N) },
    );
  }
  return {
    metrics,
    diagnostics,
    fill(row, pred, observed, logScore, rps, points) {
      for (const f of pIdx) for (let c = 0; c < C; c++) row[f[c]] = 0;
      if (points) {
        const { median, positiveMedian: pm, positiveMape: px } = points;
        for (let i = 0; i < observed.length; i++) {
          const c = i % C, y = observed[i];
          row[medAbs[c]] += Math.abs(median[i] - y);
          row[pmAbs[c]] += Math.abs(pm[i] - y);
          row[pxAbs[c]] += Math.abs(px[i] - y);
          if (pm[i] >= 1) row[pmAtLeast1[c]]++;
          if (px[i] >= 1) row[pxAtLeast1[c]]++;
          if (y > 0) { row[pmMaskedAbs[c]] += Math.abs(pm[i] - y); row[pxMaskedApe[c]] += Math.abs(px[i] - y) / y; }
        }
      }
      for (let c = 0; c < C; c++) { row[predSum[c]] = 0; row[obsSum[c]] = 0; }
      for (let i = 0; i < pred.length; i++) { row[predSum[i % C]] += pred[i]; row[obsSum[i % C]] += observed[i]; }
      const s = countSumsPeriod(pred, observed, C);
      SUMS.forEach((k, f) => { for (let c = 0; c < C; c++) row[idx[f][c]] = s[k][c]; });
      for (let c = 0; c < C; c++) { row[ls[c]] = logScore[c]; row[rp[c]] = rps[c]; }
    },
  };
}

/** One test period's loss-optimal points of a backtest (undefined when it has none). */
export function periodPoints(res: { points?: LossOptimalPoints }, p: number, RC: number): LossOptimalPoints | undefined {
  const q = res.points;
  if (!q) return undefined;
  const sub = (a: Float32Array) => a.subarray(p * RC, (p + 1) * RC);
  return { median: sub(q.median), positiveMedian: sub(q.positiveMedian), positiveMape: sub(q.positiveMape) };
}
