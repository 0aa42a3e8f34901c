/**
 * Binary-occurrence metrics as protocol fields: per-category precision / recall / F1 after thresholding P(≥1),
 * the mean of per-category F1 and the pooled F1, and the Brier score — over the cells a mask keeps.
 * Sums come from metrics/occurrence.ts.
 */
import { calibrationPeriod, confusionPeriod } from '../metrics/occurrence.js';
import type { FieldLayout } from './field-layout.js';
import type { MetricDef } from './types.js';

export interface OccurrenceFields {
  metrics: MetricDef[];
  /** One period's fields from P(≥1) and observed counts (regions × categories). */
  fill(row: Float64Array, prob: ArrayLike<number>, observed: ArrayLike<number>): void;
}

/** `keep[r * C + c]` = 1 for the (region, category) pairs scored (all when absent). */
export function occurrenceFields(layout: FieldLayout, categories: string[], threshold: number, keep?: Uint8Array): OccurrenceFields {
  const C = categories.length;
  const f = ['tp', 'fp', 'fn', 'brier', 'n'].map((k) => categories.map((c) => layout.add(`${k}/${c}`)));
  const [tp, fp, fn, br, n] = f;
  const f1 = (a: number, b: number, c: number) => (2 * a + b + c > 0 ? (2 * a) / (2 * a + b + c) : 0);
  const f1c = (t: Float64Array, c: number) => f1(t[tp[c]], t[fp[c]], t[fn[c]]);
  const sum = (t: Float64Array, idx: number[]) => idx.reduce((s, k) => s + t[k], 0);
  const metrics: MetricDef[] = [];
  categories.forEach((name, c) => {
    metrics.push(
      { name: `F1/${name}`, better: 'higher', stat: (t) => f1c(t, c) },
      { name: `precision/${name}`, better: 'higher', stat: (t) => (t[tp[c]] + t[fp[c]] > 0 ? t[tp[c]] / (t[tp[c]] + t[fp[c]]) : 0) },
      { name: `recall/${name}`, better: 'higher', stat: (t) => (t[tp[c]] + t[fn[c]] > 0 ? t[tp[c]] / (t[tp[c]] + t[fn[c]]) : 0) },
      { name: `Brier/${name}`, better: 'lower', stat: (t) => (t[n[c]] > 0 ? t[br[c]] / t[n[c]] : NaN) },
    );
  });
  metrics.push(
    { name: 'meanF1', better: 'higher', stat: (t) => categories.reduce((s, _, c) => s + f1c(t, c), 0) / C },
    { name: 'pooledF1', better: 'higher', stat: (t) => f1(sum(t, tp), sum(t, fp), sum(t, fn)) },
    { name: 'Brier/all', better: 'lower', stat: (t) => (sum(t, n) > 0 ? sum(t, br) / sum(t, n) : NaN) },
  );
  return {
    metrics,
    fill(row, prob, observed) {
      const RC = prob.length, R = RC / C;
      const p = new Float64Array(RC), o = new Float64Array(RC);
      for (let i = 0; i < RC; i++) if (!keep || keep[i]) { p[i] = prob[i]; o[i] = observed[i]; }
      // masked-out cells become true negatives, which F1 ignores
      const conf = confusionPeriod(p, o, C, threshold);
      for (let c = 0; c < C; c++) {
        row[tp[c]] = conf.tp[c]; row[fp[c]] = conf.fp[c]; row[fn[c]] = conf.fn[c];
        const pc: number[] = [], oc: number[] = [];
        for (let r = 0; r < R; r++) if (!keep || keep[r * C + c]) { pc.push(prob[r * C + c]); oc.push(observed[r * C + c]); }
        const cal = calibrationPeriod(pc, oc, 1);
        row[br[c]] = cal.brierSum[0]; row[n[c]] = cal.n[0];
      }
    },
  };
}
