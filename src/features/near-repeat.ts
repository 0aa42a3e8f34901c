/**
 * Near-repeat features: how many same-category incidents happened within D metres of a region's centroid in
 * the k days before a target period. Incidents near each centroid are found once with a kdbush index and
 * kept as sorted time arrays, so each feature value is two binary searches.
 */
import KDBush from 'kdbush';
import { countBefore } from '../util/sorted.js';
import type { History } from '../models/forecaster.js';
import { bboxOfPoints } from '../space/bbox.js';
import { projectionForBBox } from '../space/projection.js';

export interface NearRepeatIndex {
  categories: number;
  bands: number;
  /** times[(r * categories + c) * bands + d] = sorted incident times (ms) within distance band d of region r. */
  times: Float64Array[];
}

export function nearRepeatIndex(history: History, distances: number[]): NearRepeatIndex {
  const inc = history.incidents!, units = history.units!;
  const C = history.tensor.categories, B = distances.length;
  const catOf = history.incidentCategory ?? mapCategories(inc.cat, inc.categories, history.tensor.categoryNames);
  const proj = projectionForBBox(bboxOfPoints(inc.lat, inc.lon));
  const p = proj.forward(inc.lat, inc.lon);
  const index = new KDBush(inc.n);
  for (let i = 0; i < inc.n; i++) index.add(p.x[i], p.y[i]);
  index.finish();
  const cen = proj.forward(units.centroidLat, units.centroidLon);
  const maxD = Math.max(...distances);
  const times: Float64Array[] = new Array(units.n * C * B);
  const buckets: number[][] = Array.from({ length: C * B }, () => []);
  for (let r = 0; r < units.n; r++) {
    for (const b of buckets) b.length = 0;
    for (const i of index.within(cen.x[r], cen.y[r], maxD)) {
      const c = catOf[i];
      if (c < 0) continue;
      const dist = Math.hypot(p.x[i] - cen.x[r], p.y[i] - cen.y[r]);
      for (let d = 0; d < B; d++) if (dist <= distances[d]) buckets[c * B + d].push(inc.t[i]);
    }
    for (let k = 0; k < C * B; k++) times[r * C * B + k] = Float64Array.from(buckets[k]).sort();
  }
  return { categories: C, bands: B, times };
}

function mapCategories(cat: Uint16Array, names: string[], wanted: string[]): Int32Array {
  const pos = names.map((n) => wanted.indexOf(n));
  return Int32Array.from(cat, (c) => pos[c]);
}

/** Incidents of category c within band d of region r with time in [startMs − days, startMs). */
export function nearRepeatCount(ix: NearRepeatIndex, r: number, c: number, d: number, startMs: number, days: number): number {
  const a = ix.times[(r * ix.categories + c) * ix.bands + d];
  return countBefore(a, startMs) - countBefore(a, startMs - days * 86_400_000);
}
