/**
 * Bridges the metric modules' per-period sums to uncertainty.ts: turns one sums object per test period into a
 * P × K contribution matrix plus the statistic that recomputes the metric from column totals.
 *
 * Use: `const m = countContributions(perPeriodSums, 'maskedMae', c)`; then `bootstrapCI(m.contrib, m.K, m.stat)`,
 * `pairedBootstrap(a.contrib, b.contrib, a.K, a.stat)`, or `dieboldMariano(a.perPeriod, b.perPeriod)`.
 */
import type { CountSums } from './counts.js';
import type { HotspotSums } from './hotspot.js';
import type { ConfusionSums } from './occurrence.js';
import type { ScoreSums } from './scores.js';
import type { Statistic } from '../uncertainty.js';

export interface PeriodContributions {
  /** P × K, row-major. */
  contrib: Float64Array;
  K: number;
  /** Metric from column totals (over any multiset of periods). */
  stat: Statistic;
  /** The metric of each period alone (a per-period loss series for Diebold–Mariano). */
  perPeriod: Float64Array;
  /** Metric over all periods. */
  value: number;
}

function build(P: number, K: number, row: (p: number, out: Float64Array) => void, stat: Statistic): PeriodContributions {
  const contrib = new Float64Array(P * K), perPeriod = new Float64Array(P), total = new Float64Array(K);
  for (let p = 0; p < P; p++) {
    const r = contrib.subarray(p * K, (p + 1) * K);
    row(p, r);
    perPeriod[p] = stat(r);
    for (let k = 0; k < K; k++) total[k] += r[k];
  }
  return { contrib, K, stat, perPeriod, value: stat(total) };
}

export type CountMetricName = 'mae' | 'rmse' | 'deviance' | 'maskedMae' | 'maskedMape';

const COUNT_FIELDS: Record<CountMetricName, [keyof CountSums, keyof CountSums]> = {
  mae: ['absErr', 'n'], rmse: ['sqErr', 'n'], deviance: ['dev', 'n'],
  maskedMae: ['maskedAbsErr', 'maskedN'], maskedMape: ['maskedApe', 'maskedN'],
};

/** A count metric for one category, or pooled over categories when `category` is omitted. K = 2 (numerator, denominator). */
export function countContributions(periods: CountSums[], metric: CountMetricName, category?: number): PeriodContributions {
  const [num, den] = COUNT_FIELDS[metric];
  const pick = (a: Float64Array) => {
    if (category !== undefined) return a[category];
    let s = 0;
    for (let c = 0; c < a.length; c++) s += a[c];
    return s;
  };
  const ratio = (t: Float64Array) => (t[1] > 0 ? t[0] / t[1] : NaN);
  return build(periods.length, 2, (p, r) => {
    r[0] = pick(periods[p][num] as Float64Array);
    r[1] = pick(periods[p][den] as Float64Array);
  }, metric === 'rmse' ? (t) => Math.sqrt(ratio(t)) : ratio);
}

export type HotspotMetricName = 'hitRate' | 'pai' | 'pei' | 'rri';

/**
 * A hot-spot metric at coverage index j. K = 7: [captured, total, areaShare, nStar, riskFlagged, riskTotal, periods]
 * (PAI divides by the MEAN flagged area share, hence the period count).
 */
export function hotspotContributions(periods: HotspotSums[], metric: HotspotMetricName, j: number): PeriodContributions {
  const stats: Record<HotspotMetricName, Statistic> = {
    hitRate: (t) => (t[1] > 0 ? t[0] / t[1] : NaN),
    pai: (t) => (t[1] > 0 ? t[0] / t[1] / (t[2] / t[6]) : NaN),
    pei: (t) => (t[3] > 0 ? t[0] / t[3] : NaN),
    rri: (t) => (t[1] > 0 && t[4] > 0 ? t[0] / t[1] / (t[4] / t[5]) : NaN),
  };
  return build(periods.length, 7, (p, r) => {
    const s = periods[p];
    r[0] = s.captured[j]; r[1] = s.total[j]; r[2] = s.areaShare[j]; r[3] = s.nStar[j];
    r[4] = s.riskFlagged[j]; r[5] = s.riskTotal[j]; r[6] = s.periods;
  }, stats[metric]);
}

export type F1Kind = 'category' | 'micro' | 'macro';

/**
 * F1 of one category, micro (pooled) or macro (mean of per-category F1; see occurrence.ts for the naming clash).
 * K = 3·C: [tp, fp, fn] per category.
 */
export function f1Contributions(periods: ConfusionSums[], kind: F1Kind, category = 0): PeriodContributions {
  const C = periods.length > 0 ? periods[0].tp.length : 0;
  const f1 = (tp: number, fp: number, fn: number) => (2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0);
  const stat: Statistic = (t) => {
    if (kind === 'category') return f1(t[3 * category], t[3 * category + 1], t[3 * category + 2]);
    let tp = 0, fp = 0, fn = 0, sum = 0;
    for (let c = 0; c < C; c++) {
      tp += t[3 * c]; fp += t[3 * c + 1]; fn += t[3 * c + 2];
      sum += f1(t[3 * c], t[3 * c + 1], t[3 * c + 2]);
    }
    return kind === 'micro' ? f1(tp, fp, fn) : sum / C;
  };
  return build(periods.length, 3 * C, (p, r) => {
    for (let c = 0; c < C; c++) { r[3 * c] = periods[p].tp[c]; r[3 * c + 1] = periods[p].fp[c]; r[3 * c + 2] = periods[p].fn[c]; }
  }, stat);
}

export type ScoreMetricName = 'logScore' | 'rps' | 'coverage';

/** Log score, RPS, or interval coverage at level index l; one category or pooled. K = 2. */
export function scoreContributions(periods: ScoreSums[], metric: ScoreMetricName, category?: number, l = 0): PeriodContributions {
  return build(periods.length, 2, (p, r) => {
    const s = periods[p], C = s.categories;
    r[0] = 0; r[1] = 0;
    for (let c = 0; c < C; c++) {
      if (category !== undefined && c !== category) continue;
      r[0] += metric === 'coverage' ? s.covered[l * C + c] : s[metric][c];
      r[1] += s.n[c];
    }
  }, (t) => (t[1] > 0 ? t[0] / t[1] : NaN));
}
