/**
 * Hot-spot sums for box and ranking forecasts, whose scores tie a lot (every flagged cell of a box file has the
 * same score): units are taken in decreasing score, and a group of tied units that straddles the area budget is
 * taken in expectation — each tied unit counts with the share of the group's area the budget still allows — so no
 * arbitrary tie-break (region order) decides the result. The budget is the one built-in models get: ⌊c·R⌋ units
 * (at least one) for equal areas, c·A otherwise. "Own" coverage flags exactly what the file flags: a box's
 * covered share of each unit (crimes assumed uniform within a unit), or every ranked unit.
 */
import { densityOrder, maxCapturable } from '../metrics/hotspot.js';
import type { ExternalKind } from './types.js';

export interface CoverageSums { captured: number; total: number; areaShare: number; nStar: number }

export function tiedHotspotPeriod(
  score: ArrayLike<number>, observed: ArrayLike<number>, coverages: ArrayLike<number>, area?: ArrayLike<number>,
): CoverageSums[] {
  const R = score.length;
  const a = (i: number) => (area ? area[i] : 1);
  let A = 0, N = 0;
  for (let i = 0; i < R; i++) { A += a(i); N += observed[i]; }
  const order = Array.from({ length: R }, (_, i) => i).sort((x, y) => (score[y] - score[x]) || x - y);
  const dens = densityOrder(observed, area);
  const out: CoverageSums[] = [];
  for (let j = 0; j < coverages.length; j++) {
    let left = area ? coverages[j] * A : Math.min(R, Math.max(1, Math.floor(coverages[j] * R + 1e-9)));
    const budget = left;
    let n = 0;
    for (let k = 0; k < R && left > 1e-12;) {
      let e = k, ga = 0, go = 0;
      while (e < R && score[order[e]] === score[order[k]]) { ga += a(order[e]); go += observed[order[e]]; e++; }
      const take = Math.min(1, left / ga);
      n += take * go; left -= take * ga;
      k = e;
    }
    const used = budget - Math.max(0, left);
    out.push({ captured: n, total: N, areaShare: used / A, nStar: maxCapturable(observed, used, area, dens) });
  }
  return out;
}

/** The file's own flagged set: covered share per unit (boxes) or every ranked unit (ranking). */
export function ownCoveragePeriod(kind: ExternalKind, score: ArrayLike<number>, observed: ArrayLike<number>, area?: ArrayLike<number>): CoverageSums {
  const R = score.length;
  let A = 0, N = 0, flagged = 0, n = 0;
  for (let i = 0; i < R; i++) {
    const ai = area ? area[i] : 1, frac = kind === 'boxes' ? Math.max(0, Math.min(1, score[i])) : score[i] > 0 ? 1 : 0;
    A += ai; N += observed[i]; flagged += frac * ai; n += frac * observed[i];
  }
  return { captured: n, total: N, areaShare: flagged / A, nStar: flagged > 0 ? maxCapturable(observed, flagged, area) : 0 };
}
