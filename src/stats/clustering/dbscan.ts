/**
 * DBSCAN (Ester et al. 1996) with a kdbush radius index, so each neighbourhood query is O(log n + hits)
 * instead of a scan. ST-DBSCAN reuses the same core with a space-and-time neighbourhood.
 */
import KDBush from 'kdbush';
import type { Clustering, PlanarPointSet } from './types.js';

/**
 * Density-based clustering over an arbitrary neighbourhood. `neighbours(i)` must include i itself;
 * a core point has at least `minPts` neighbours. Border points join the first cluster that reaches them.
 */
export function densityClusters(n: number, neighbours: (i: number) => number[], minPts: number): Clustering {
  const UNSEEN = -2, NOISE = -1;
  const labels = new Int32Array(n).fill(UNSEEN);
  let k = 0;
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (labels[i] !== UNSEEN) continue;
    const nb = neighbours(i);
    if (nb.length < minPts) { labels[i] = NOISE; continue; }
    const c = k++;
    labels[i] = c;
    stack.length = 0;
    for (const j of nb) stack.push(j);
    while (stack.length) {
      const j = stack.pop()!;
      if (labels[j] === NOISE) labels[j] = c; // border point
      if (labels[j] !== UNSEEN) continue;
      labels[j] = c;
      const nj = neighbours(j);
      if (nj.length >= minPts) for (const q of nj) if (labels[q] < 0) stack.push(q);
    }
  }
  return { labels, k };
}

export function spatialIndex(p: PlanarPointSet): KDBush {
  const index = new KDBush(p.x.length);
  for (let i = 0; i < p.x.length; i++) index.add(p.x[i], p.y[i]);
  index.finish();
  return index;
}

export interface DbscanOptions {
  /** Neighbourhood radius, metres. */
  eps: number;
  /** Minimum neighbours (including the point) for a core point. */
  minPts: number;
}

export function dbscan(p: PlanarPointSet, o: DbscanOptions): Clustering {
  if (!(o.eps > 0) || !(o.minPts >= 1)) throw new Error('DBSCAN needs eps > 0 and minPts ≥ 1');
  const index = spatialIndex(p);
  return densityClusters(p.x.length, (i) => index.within(p.x[i], p.y[i], o.eps), o.minPts);
}
