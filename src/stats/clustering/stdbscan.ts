/**
 * ST-DBSCAN (Birant & Kut 2007): DBSCAN whose neighbourhood requires both spatial distance ≤ eps1 and
 * time difference ≤ eps2. (Their third parameter, Δε for a non-spatial attribute, has no counterpart for
 * plain incidents and is omitted.) Spatial candidates come from kdbush and are filtered by time.
 */
import { densityClusters, spatialIndex } from './dbscan.js';
import type { Clustering, PlanarPointSet } from './types.js';

export interface StDbscanOptions {
  /** Spatial radius, metres. */
  eps1: number;
  /** Temporal radius, milliseconds. */
  eps2: number;
  minPts: number;
}

export function stdbscan(p: PlanarPointSet, o: StDbscanOptions): Clustering {
  if (!p.t) throw new Error('ST-DBSCAN needs event times');
  if (!(o.eps1 > 0) || !(o.eps2 >= 0) || !(o.minPts >= 1)) throw new Error('ST-DBSCAN needs eps1 > 0, eps2 ≥ 0, minPts ≥ 1');
  const t = p.t, index = spatialIndex(p);
  return densityClusters(p.x.length, (i) => index.within(p.x[i], p.y[i], o.eps1).filter((j) => Math.abs(t[j] - t[i]) <= o.eps2), o.minPts);
}
