/**
 * Where a cell's rate is shrunk toward (the prior mean of the gamma–Poisson model), as counts over the same
 * exposure as the cell's own:
 * - `neighbourhood`: the category's density around the cell (adjacency diffusion, `steps` rounds);
 * - `cell-total`: the cell's own all-category count times the category's share around it — all-crime history
 *   as the prior for each category (borrowing strength across categories);
 * - `city`: the category's city-wide density times the cell's area (needs no adjacency).
 */
import type { Adjacency } from '../../space/units.js';
import { neighbourhoodCounts } from './neighbourhood.js';

export type PriorKind = 'neighbourhood' | 'cell-total' | 'city';
export interface PriorSpec { kind: PriorKind; steps: number }

/** The geometry priors need: areas (equal when absent) and, for neighbourhood priors, an adjacency. */
export interface PriorSpace { area: ArrayLike<number>; adjacency?: Adjacency }

export function priorLabel(p: PriorSpec): string {
  return p.kind === 'city' ? 'city' : `${p.kind}/${p.steps}`;
}

/**
 * Prior counts (regions × categories) for `counts` under `spec`. `cache` (one per `counts`) keeps the diffused
 * neighbourhood counts by steps, which the neighbourhood and cell-total priors share.
 */
export function priorCounts(counts: Float64Array, categories: number, space: PriorSpace, spec: PriorSpec, cache?: Map<number, Float64Array>): Float64Array {
  const C = categories, R = counts.length / C, area = space.area;
  if (spec.kind === 'city') {
    let A = 0;
    for (let r = 0; r < R; r++) A += area[r];
    const tot = new Float64Array(C);
    for (let i = 0; i < counts.length; i++) tot[i % C] += counts[i];
    const out = new Float64Array(R * C);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[r * C + c] = (tot[c] * area[r]) / A;
    return out;
  }
  if (!space.adjacency) throw new Error(`prior ${priorLabel(spec)} needs the units' adjacency`);
  let around = cache?.get(spec.steps);
  if (!around) { around = neighbourhoodCounts(counts, C, space.adjacency, area, spec.steps); cache?.set(spec.steps, around); }
  if (spec.kind === 'neighbourhood') return around;
  const nb = around.slice();
  for (let r = 0; r < R; r++) {
    let own = 0, local = 0;
    for (let c = 0; c < C; c++) { own += counts[r * C + c]; local += nb[r * C + c]; }
    for (let c = 0; c < C; c++) nb[r * C + c] = local > 0 ? (own * nb[r * C + c]) / local : 0;
  }
  return nb;
}
