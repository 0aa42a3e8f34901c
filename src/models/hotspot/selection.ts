/**
 * Choosing each category's time scale, prior and shrinkage on the history's own last periods (never on what is
 * forecast): the last `V` periods are cut into blocks; each block is forecast from the periods before it by every
 * candidate (half-life × prior × α × weekday factors), and the candidate with the highest Poisson log-likelihood
 * of the block's counts wins, per category. The negative-binomial size is then fitted on the winner's residuals.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';
import { fitNegBinSize } from '../dispersion.js';
import { decayedCountsAt, type DecayedCounts } from './decayed-counts.js';
import { PRIOR_FLOOR_SHARE, shrinkCategory } from './gamma-poisson.js';
import { priorCounts, type PriorSpace, type PriorSpec } from './priors.js';
import { cityTotals, weekdayFactorsFromTotals } from './weekday.js';

export interface CategoryConfig {
  /** Half-life of the counts in periods (Infinity: the long-run count). */
  halfLife: number;
  prior: PriorSpec;
  /** Gamma shape: prior pseudo-crimes (Infinity: the prior alone). */
  alpha: number;
  /** Scale by the city-wide day-of-week factor (daily tensors). */
  weekday: boolean;
}

export interface SelectionGrid {
  halfLives: number[];
  priors: PriorSpec[];
  alphas: number[];
  /** Try day-of-week factors (only meaningful for daily tensors). */
  weekday: boolean;
}

export interface Selection {
  configs: CategoryConfig[];
  /** Validation log-likelihood per cell-period of the chosen config and of the raw long-run rate, per category. */
  logLik: Float64Array;
  rawLogLik: Float64Array;
  /** Negative-binomial size per category on the chosen config's validation residuals (Infinity: Poisson). */
  size: Float64Array;
  /** Validation periods and blocks used. */
  periods: number;
  blocks: number;
  candidates: number;
}

/** Cut-offs of the validation blocks: the last V periods in blocks of `block` periods. */
export function validationBlocks(periods: number, V: number, block: number): number[] {
  const out: number[] = [];
  for (let o = periods - V; o < periods; o += block) out.push(o);
  return out;
}

export function selectConfigs(t: CountTensor, space: PriorSpace, grid: SelectionGrid, V: number, block: number): Selection {
  const R = t.regions, C = t.categories, RC = R * C;
  if (V < 1 || V >= t.periods) throw new RangeError(`selectConfigs: ${V} validation periods need a longer history than ${t.periods}`);
  const origins = validationBlocks(t.periods, V, block);
  const ends = origins.map((o) => Math.min(o + block, t.periods));
  // observed block sums per cell, and what the weekday factors add to the log-likelihood
  const Y = origins.map((o, k) => {
    const s = new Float64Array(RC);
    for (let p = o; p < ends[k]; p++) { const y = t.data.subarray(p * RC, (p + 1) * RC); for (let i = 0; i < RC; i++) s[i] += y[i]; }
    return s;
  });
  const city = cityTotals(t);
  const wk = origins.map((o, k) => {
    const f = weekdayFactorsFromTotals(city, C, 0, o), F = new Float64Array(C), K = new Float64Array(C);
    for (let p = o; p < ends[k]; p++) {
      for (let c = 0; c < C; c++) {
        const fc = f[(p % 7) * C + c];
        F[c] += fc;
        K[c] += city[p * C + c] * Math.log(fc);
      }
    }
    return { f, F, K };
  });
  const cands: CategoryConfig[] = [];
  const ll: number[][] = []; // candidate → per-category log-likelihood
  const lambda = new Float64Array(RC);
  // Σ_r y log λ and Σ_r λ of category c: the block's log-likelihood is S − Λ·(block length or Σ weekday factors) (+ K)
  let S = 0, L = 0;
  const sums = (k: number, c: number): void => {
    const y = Y[k];
    S = 0; L = 0;
    for (let r = 0; r < R; r++) { const i = r * C + c; if (y[i] > 0) S += y[i] * Math.log(lambda[i]); L += lambda[i]; }
  };
  const llOf = (k: number, c: number, weekday: boolean): number => (weekday ? S - L * wk[k].F[c] + wk[k].K[c] : S - L * (ends[k] - origins[k]));
  for (const halfLife of grid.halfLives) {
    const snaps = decayedCountsAt(t, halfLife, origins);
    const caches = snaps.map(() => new Map<number, Float64Array>());
    for (const prior of grid.priors) {
      const priors = snaps.map((s, k) => priorCounts(s.counts, C, space, prior, caches[k]));
      for (const alpha of grid.alphas) {
        const off = new Array<number>(C).fill(0), on = new Array<number>(C).fill(0);
        for (let k = 0; k < origins.length; k++) {
          for (let c = 0; c < C; c++) {
            shrinkCategory(snaps[k].counts, priors[k], snaps[k].exposure, alpha, C, c, lambda);
            sums(k, c);
            off[c] += llOf(k, c, false);
            if (grid.weekday) on[c] += llOf(k, c, true);
          }
        }
        cands.push({ halfLife, prior, alpha, weekday: false }); ll.push(off);
        if (grid.weekday) { cands.push({ halfLife, prior, alpha, weekday: true }); ll.push(on); }
      }
    }
  }
  const n = R * V;
  const configs: CategoryConfig[] = [], logLik = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let best = 0;
    for (let j = 1; j < cands.length; j++) if (ll[j][c] > ll[best][c]) best = j;
    configs.push(cands[best]); logLik[c] = ll[best][c] / n;
  }
  // the raw long-run rate (historical average, floored like the priors) on the same blocks
  const rawLogLik = new Float64Array(C);
  const raw = decayedCountsAt(t, Infinity, origins);
  for (let k = 0; k < origins.length; k++) {
    for (let c = 0; c < C; c++) {
      let tot = 0;
      for (let r = 0; r < R; r++) tot += raw[k].counts[r * C + c];
      const floor = Math.max((PRIOR_FLOOR_SHARE * tot) / (R * raw[k].exposure), 1e-12);
      for (let r = 0; r < R; r++) lambda[r * C + c] = Math.max(raw[k].counts[r * C + c] / raw[k].exposure, floor);
      sums(k, c);
      rawLogLik[c] += llOf(k, c, false) / n;
    }
  }
  return { configs, logLik, rawLogLik, size: residualSize(t, space, configs, origins, ends, wk.map((w) => w.f)), periods: V, blocks: origins.length, candidates: cands.length };
}

/** Most residuals per category the NB size is fitted on (a systematic subsample beyond it: the fit is O(n) per step). */
export const MAX_SIZE_RESIDUALS = 50_000;

/** NB size per category from the chosen configs' forecasts of every validation period. */
function residualSize(t: CountTensor, space: PriorSpace, configs: CategoryConfig[], origins: number[], ends: number[], factors: Float64Array[]): Float64Array {
  const R = t.regions, C = t.categories, RC = R * C;
  const cells = origins.reduce((s, o, k) => s + (ends[k] - o), 0) * R;
  const stride = Math.max(1, Math.ceil(cells / MAX_SIZE_RESIDUALS)), n = Math.ceil(cells / stride);
  const ys = Array.from({ length: C }, () => new Float32Array(n)), mus = Array.from({ length: C }, () => new Float32Array(n));
  const lambda = new Float64Array(RC);
  const snaps = snapshotsByHalfLife(t, configs, origins);
  let j = 0, kept = 0;
  for (let k = 0; k < origins.length; k++) {
    ratesFrom(snaps, k, space, configs, lambda);
    for (let p = origins[k]; p < ends[k]; p++) {
      for (let r = 0; r < R; r++, j++) {
        if (j % stride !== 0) continue;
        for (let c = 0; c < C; c++) {
          const f = configs[c].weekday ? factors[k][(p % 7) * C + c] : 1;
          ys[c][kept] = t.data[p * RC + r * C + c]; mus[c][kept] = lambda[r * C + c] * f;
        }
        kept++;
      }
    }
  }
  return Float64Array.from({ length: C }, (_, c) => fitNegBinSize(ys[c].subarray(0, kept), mus[c].subarray(0, kept)));
}

/**
 * Rate per period of every cell (regions × categories) from the periods before `end`, each category under its
 * config (weekday factors not applied). Returns the number of cells whose prior was floored.
 */
export function ratesAt(t: CountTensor, space: PriorSpace, configs: CategoryConfig[], end: number, out: Float64Array): number {
  return ratesFrom(snapshotsByHalfLife(t, configs, [end]), 0, space, configs, out);
}

/** Decayed counts at each cut-off for every half-life the configs use (one pass per half-life). */
function snapshotsByHalfLife(t: CountTensor, configs: CategoryConfig[], ends: number[]): Map<number, DecayedCounts[]> {
  const out = new Map<number, DecayedCounts[]>();
  for (const cfg of configs) if (!out.has(cfg.halfLife)) out.set(cfg.halfLife, decayedCountsAt(t, cfg.halfLife, ends));
  return out;
}

function ratesFrom(snaps: Map<number, DecayedCounts[]>, k: number, space: PriorSpace, configs: CategoryConfig[], out: Float64Array): number {
  const C = configs.length;
  let floored = 0;
  for (const [halfLife, list] of snaps) {
    const snap = list[k], cats = configs.map((cfg, c) => (cfg.halfLife === halfLife ? c : -1)).filter((c) => c >= 0);
    const priorCache = new Map<string, Float64Array>(), nbCache = new Map<number, Float64Array>();
    for (const c of cats) {
      const spec = configs[c].prior, key = `${spec.kind}/${spec.steps}`;
      let prior = priorCache.get(key);
      if (!prior) { prior = priorCounts(snap.counts, C, space, spec, nbCache); priorCache.set(key, prior); }
      floored += shrinkCategory(snap.counts, prior, snap.exposure, configs[c].alpha, C, c, out);
    }
  }
  return floored;
}
