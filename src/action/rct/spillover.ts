/**
 * Displacement / diffusion-of-benefits check (cf. the catchment-area analyses of Braga & Weisburd's hot-spot
 * trials). Exposure of a control unit = share of its neighbours that are treated. Statistic: among control units,
 * the exposure-weighted difference-in-differences log rate ratio
 *   log[(Σ e_i y_i + ½)/(Σ e_i b_i + ½)] − log[(Σ (1−e_i) y_i + ½)/(Σ (1−e_i) b_i + ½)],
 * i.e. how crime changed next to treatment relative to away from it. RR > 1: displacement; RR < 1: diffusion.
 *
 * Significance by re-randomisation under the null "constant direct effect RR_d, no spillover": treated outcomes are
 * first divided by RR_d (imputing their untreated outcome), which makes every unit's outcome fixed under that null,
 * so redrawing assignments as the design did is valid even though the direct effect is real.
 */
import type { Adjacency } from '../../space/units.js';
import { randomisationTest, type RandomisationTestResult } from './randomisation-test.js';
import type { RctDesign } from './design.js';

/** Share of each unit's neighbours that are treated (0 for units without neighbours). */
export function treatedNeighbourShare(adj: Adjacency, assignment: ArrayLike<number>, out = new Float64Array(assignment.length)): Float64Array {
  for (let i = 0; i < assignment.length; i++) {
    const deg = adj.offsets[i + 1] - adj.offsets[i];
    let t = 0;
    for (let k = adj.offsets[i]; k < adj.offsets[i + 1]; k++) t += assignment[adj.neighbors[k]] ? 1 : 0;
    out[i] = deg > 0 ? t / deg : 0;
  }
  return out;
}

export function spilloverStatistic(adj: Adjacency, y: ArrayLike<number>, baseline: ArrayLike<number>, assignment: ArrayLike<number>, share = new Float64Array(y.length)): number {
  treatedNeighbourShare(adj, assignment, share);
  let ye = 0, be = 0, yu = 0, bu = 0;
  for (let i = 0; i < y.length; i++) {
    if (assignment[i]) continue;
    const e = share[i];
    ye += e * y[i]; be += e * baseline[i];
    yu += (1 - e) * y[i]; bu += (1 - e) * baseline[i];
  }
  return Math.log((ye + 0.5) / (be + 0.5)) - Math.log((yu + 0.5) / (bu + 0.5));
}

export interface SpilloverResult extends RandomisationTestResult {
  /** exp(statistic): crime change next to treated units relative to away from them (among controls). */
  rateRatio: number;
  /** The direct effect assumed when imputing treated units' untreated outcomes. */
  directRateRatio: number;
}

export function spilloverCheck(
  adj: Adjacency, design: RctDesign, y: ArrayLike<number>, baseline: ArrayLike<number>,
  opts: { B?: number; seed?: number; directRateRatio?: number } = {},
): SpilloverResult {
  const rd = opts.directRateRatio ?? 1;
  const y0 = Float64Array.from(y, (v, i) => (design.assignment[i] ? v / rd : v));
  const share = new Float64Array(y.length);
  const r = randomisationTest((a) => spilloverStatistic(adj, y0, baseline, a, share), design, opts);
  return { ...r, rateRatio: Math.exp(r.statistic), directRateRatio: rd };
}
