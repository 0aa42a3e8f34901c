/**
 * Occurrence scores of P(≥1) forecasts as protocol fields, per category and pooled: the Brier score
 * (p − 1{y ≥ 1})² and the binary log score −log P(what happened) (P floored as the count log score is). Added to a
 * count protocol when an external file forecasts only P(≥1); every row with a P(≥1) (built-in models derive it
 * from their distribution) is scored on them, so the paired tests compare like with like.
 */
import { LOG_SCORE_FLOOR } from '../metrics/scores.js';
import type { FieldLayout } from './field-layout.js';
import type { MetricDef } from './types.js';

export interface ProbabilityFields {
  metrics: MetricDef[];
  /** One period's fields (pAny and observed: regions × categories). */
  fill(row: Float64Array, pAny: ArrayLike<number>, observed: ArrayLike<number>): void;
}

export function probabilityFields(layout: FieldLayout, categories: string[]): ProbabilityFields {
  const C = categories.length;
  const brier = categories.map((c) => layout.add(`brier/${c}`)), bls = categories.map((c) => layout.add(`binaryLog/${c}`));
  const n = categories.map((c) => layout.add(`occN/${c}`));
  const metrics: MetricDef[] = [];
  const groups: [string, number[]][] = [...categories.map((c, j): [string, number[]] => [c, [j]]), ['all', categories.map((_, j) => j)]];
  for (const [label, cs] of groups) {
    const sum = (f: number[]) => (t: Float64Array) => cs.reduce((s, j) => s + t[f[j]], 0);
    const B = sum(brier), L = sum(bls), N = sum(n);
    metrics.push(
      { name: `Brier/${label}`, better: 'lower', stat: (t) => (N(t) > 0 ? B(t) / N(t) : NaN) },
      { name: `binaryLogScore/${label}`, better: 'lower', stat: (t) => (N(t) > 0 ? L(t) / N(t) : NaN) },
    );
  }
  const floor = Math.log(LOG_SCORE_FLOOR);
  return {
    metrics,
    fill(row, pAny, observed) {
      for (let c = 0; c < C; c++) { row[brier[c]] = 0; row[bls[c]] = 0; row[n[c]] = 0; }
      for (let i = 0; i < pAny.length; i++) {
        const c = i % C, p = pAny[i], hit = observed[i] >= 1 ? 1 : 0;
        row[brier[c]] += (p - hit) ** 2;
        row[bls[c]] -= Math.max(Math.log(hit ? p : 1 - p), floor);
        row[n[c]]++;
      }
    },
  };
}
