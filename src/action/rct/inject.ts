/**
 * Known treatment effects injected into real counts, so an analysis can be checked against the truth:
 * treated units' counts are multiplied by the rate ratio — binomial thinning for RR ≤ 1 (each crime survives with
 * probability RR, so E[y'] = RR·y exactly), an added Poisson((RR − 1)·y) for RR > 1 — and optionally a share of the
 * prevented crimes is displaced to a uniformly chosen neighbour.
 */
import type { Adjacency } from '../../space/units.js';
import type { Rng } from '../../util/rng.js';

export function binomial(rng: Rng, n: number, p: number): number {
  if (p <= 0 || n <= 0) return 0;
  if (p >= 1) return n;
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.random() < p) k++;
  return k;
}

export interface InjectOptions {
  rateRatio: number;
  /** Share of prevented crimes moved to a neighbour (needs adjacency). */
  displacement?: number;
  adjacency?: Adjacency;
}

export function injectEffect(y: ArrayLike<number>, assignment: ArrayLike<number>, opts: InjectOptions, rng: Rng): Float64Array {
  const out = Float64Array.from(y);
  const moved = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    if (!assignment[i]) continue;
    const n = Math.round(y[i]);
    if (opts.rateRatio <= 1) {
      const kept = binomial(rng, n, opts.rateRatio);
      out[i] = kept;
      const prevented = n - kept;
      if (opts.displacement && opts.adjacency) {
        const { offsets, neighbors } = opts.adjacency;
        const deg = offsets[i + 1] - offsets[i];
        if (deg > 0) {
          const d = binomial(rng, prevented, opts.displacement);
          for (let k = 0; k < d; k++) moved[neighbors[offsets[i] + rng.int(deg)]]++;
        }
      }
    } else {
      out[i] = n + rng.poisson((opts.rateRatio - 1) * n);
    }
  }
  for (let i = 0; i < y.length; i++) out[i] += moved[i];
  return out;
}
