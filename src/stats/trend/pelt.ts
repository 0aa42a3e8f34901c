/**
 * Change points by PELT, Pruned Exact Linear Time (Killick, Fearnhead & Eckley 2012): the exact minimiser of
 * Σ segment costs + β·(number of changes), with pruning of candidates that can never be optimal again.
 * Costs are −2 × maximised log-likelihood of a segment under a Poisson rate (counts) or a Gaussian mean with
 * known variance (estimated robustly from first differences). The default penalty is BIC-style:
 * (parameters per segment + 1)·log n (the extra one for the change location).
 */
export type PeltCost = 'poisson' | 'normal-mean';

export interface PeltOptions {
  cost?: PeltCost;
  /** Penalty per change point (default BIC-style 2·log n). */
  penalty?: number;
  /** Shortest segment (default 2). */
  minSegment?: number;
  /** Noise variance for 'normal-mean' (default: MAD of first differences / √2, squared). */
  variance?: number;
}

export interface PeltResult {
  /** Indices where a new segment starts (sorted, excluding 0). */
  changePoints: number[];
  /** Segment [start, end) with its mean. */
  segments: { start: number; end: number; mean: number }[];
  penalty: number;
  cost: number;
}

export function robustNoiseVariance(y: ArrayLike<number>): number {
  const n = y.length;
  if (n < 3) return 1;
  const d = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) d[i - 1] = Math.abs(y[i] - y[i - 1]);
  d.sort();
  const med = d.length % 2 ? d[(d.length - 1) / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  // MAD of differences: sd(diff) = √2 σ and MAD ≈ 0.6745 sd for Gaussian noise
  const sd = med / 0.6745 / Math.SQRT2;
  return sd > 0 ? sd * sd : 1;
}

export function pelt(series: ArrayLike<number>, opts: PeltOptions = {}): PeltResult {
  const y = Float64Array.from(series), n = y.length;
  const kind = opts.cost ?? 'normal-mean';
  if (kind === 'poisson' && y.some((v) => v < 0)) throw new RangeError('Poisson change-point cost needs non-negative counts');
  const minSeg = Math.max(1, opts.minSegment ?? 2);
  const penalty = opts.penalty ?? 2 * Math.log(Math.max(n, 2));
  const sigma2 = kind === 'normal-mean' ? opts.variance ?? robustNoiseVariance(y) : 1;
  const cs = new Float64Array(n + 1), cs2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) { cs[i + 1] = cs[i] + y[i]; cs2[i + 1] = cs2[i] + y[i] * y[i]; }
  // −2 log L of y[s..e), constants that do not depend on the segmentation dropped
  const cost = (s: number, e: number): number => {
    const len = e - s, sum = cs[e] - cs[s];
    if (kind === 'poisson') return sum > 0 ? 2 * (sum - sum * Math.log(sum / len)) : 0;
    return (cs2[e] - cs2[s] - (sum * sum) / len) / sigma2;
  };
  const F = new Float64Array(n + 1).fill(Infinity), last = new Int32Array(n + 1);
  F[0] = -penalty;
  let candidates: number[] = [0];
  for (let t = 1; t <= n; t++) {
    let best = Infinity, arg = 0;
    const vals = new Float64Array(candidates.length).fill(Infinity);
    for (let k = 0; k < candidates.length; k++) {
      const s = candidates[k];
      if (t - s < minSeg || !Number.isFinite(F[s])) continue;
      const v = F[s] + cost(s, t) + penalty;
      vals[k] = v;
      if (v < best) { best = v; arg = s; }
    }
    F[t] = best; last[t] = arg;
    // prune: s can never be optimal again once F[s] + C(s, t) > F[t] (K = 0 for these costs)
    const next: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const s = candidates[k];
      if (t - s < minSeg || vals[k] - penalty <= best) next.push(s);
    }
    next.push(t);
    candidates = next;
  }
  const cps: number[] = [];
  for (let t = n; t > 0; t = last[t]) if (last[t] > 0) cps.push(last[t]);
  cps.reverse();
  const bounds = [0, ...cps, n];
  const segments = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const s = bounds[i], e = bounds[i + 1];
    segments.push({ start: s, end: e, mean: (cs[e] - cs[s]) / (e - s) });
  }
  return { changePoints: cps, segments, penalty, cost: F[n] };
}
