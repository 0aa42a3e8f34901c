/**
 * Trials on the real Chicago daily tensor: units are grid cells, the baseline is the crime in the `baselineDays`
 * before the trial, the outcome the crime during `trialDays`; a known effect is injected into treated cells.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';
import { adjacencyFromLists, type Adjacency } from '../../space/units.js';
import type { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { designTrial, type DesignOptions, type RctDesign } from './design.js';
import { injectEffect } from './inject.js';
import { estimateRateRatio } from './rate-ratio.js';

/** Per-region totals over periods [from, to), all categories. */
export function regionTotals(t: CountTensor, from: number, to: number): Float64Array {
  const out = new Float64Array(t.regions);
  const C = t.categories;
  for (let p = from; p < to; p++) {
    const base = p * t.regions * C;
    for (let r = 0; r < t.regions; r++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += t.data[base + r * C + c];
      out[r] += s;
    }
  }
  return out;
}

/** Regions whose baseline-period total reaches `minCount` (cells with no crime carry no information about a rate). */
export function activeRegions(baseline: Float64Array, minCount = 1): Int32Array {
  const keep: number[] = [];
  baseline.forEach((v, r) => { if (v >= minCount) keep.push(r); });
  return Int32Array.from(keep);
}

/** Adjacency restricted to a subset of regions, re-indexed to positions in `keep`. */
export function subsetAdjacency(adj: Adjacency, keep: Int32Array, regions: number): Adjacency {
  const pos = new Int32Array(regions).fill(-1);
  keep.forEach((r, i) => { pos[r] = i; });
  const lists: number[][] = Array.from(keep, (r) => {
    const l: number[] = [];
    for (let k = adj.offsets[r]; k < adj.offsets[r + 1]; k++) if (pos[adj.neighbors[k]] >= 0) l.push(pos[adj.neighbors[k]]);
    return l;
  });
  return adjacencyFromLists(lists);
}

export interface ChicagoTrialOptions {
  /** First trial period (the baseline is the `baselineDays` before it). */
  start: number;
  baselineDays?: number;
  trialDays?: number;
  /** Minimum baseline crime for a cell to enter the trial (default 5). */
  minBaseline?: number;
  design: DesignOptions;
  rateRatio: number;
  displacement?: number;
  /** Full-grid adjacency (needed for displacement and the spillover check). */
  adjacency?: Adjacency;
}

export interface ChicagoTrial {
  regions: Int32Array;
  baseline: Float64Array;
  /** Outcome after the injected effect. */
  y: Float64Array;
  design: RctDesign;
  adjacency?: Adjacency;
}

/** One randomised trial on real counts with a known injected effect (displacement may reach any grid cell). */
export function simulateChicagoTrial(t: CountTensor, o: ChicagoTrialOptions, rng: Rng): ChicagoTrial {
  const bd = o.baselineDays ?? 28, td = o.trialDays ?? 28;
  if (o.start - bd < 0 || o.start + td > t.periods) throw new UserError(`trial window [${o.start - bd}, ${o.start + td}) leaves the data [0, ${t.periods})`);
  const baseAll = regionTotals(t, o.start - bd, o.start), yAll = regionTotals(t, o.start, o.start + td);
  const regions = activeRegions(baseAll, o.minBaseline ?? 5);
  const baseline = Float64Array.from(regions, (r) => baseAll[r]);
  const design = designTrial(baseline, o.design);
  const full = new Uint8Array(t.regions);
  regions.forEach((r, i) => { full[r] = design.assignment[i]; });
  const injected = injectEffect(yAll, full, { rateRatio: o.rateRatio, displacement: o.displacement, adjacency: o.adjacency }, rng);
  const y = Float64Array.from(regions, (r) => injected[r]);
  return { regions, baseline, y, design, adjacency: o.adjacency ? subsetAdjacency(o.adjacency, regions, t.regions) : undefined };
}

/**
 * Power measured on the real data: at each start day, run a trial with the effect injected and count significant
 * Wald tests (the same analysis used on real trials). Captures everything the closed form simplifies away.
 */
export function realDataPower(t: CountTensor, starts: number[], o: Omit<ChicagoTrialOptions, 'start'>, rng: Rng, alpha = 0.05): { power: number; trials: number; meanUnits: number } {
  let rejected = 0, units = 0;
  starts.forEach((start, k) => {
    const tr = simulateChicagoTrial(t, { ...o, start, design: { ...o.design, seed: (o.design.seed ?? 1) + k } }, rng);
    units += tr.regions.length;
    if (estimateRateRatio({ y: tr.y, assignment: tr.design.assignment, baseline: tr.baseline }).pWald < alpha) rejected++;
  });
  return { power: rejected / starts.length, trials: starts.length, meanUnits: units / starts.length };
}

/** Residual NB overdispersion of trial-length totals given the baseline, from a placebo window just before `start`. */
export function placeboDispersion(t: CountTensor, start: number, baselineDays: number, trialDays: number, minBaseline: number): number {
  const from = start - trialDays;
  if (from - baselineDays < 0) throw new UserError('not enough history before the trial for a placebo window');
  const b = regionTotals(t, from - baselineDays, from), y = regionTotals(t, from, start);
  const keep = activeRegions(b, minBaseline);
  const half = Uint8Array.from(keep, (_, i) => i % 2);
  return estimateRateRatio({ y: Float64Array.from(keep, (r) => y[r]), assignment: half, baseline: Float64Array.from(keep, (r) => b[r]) }).dispersion;
}
