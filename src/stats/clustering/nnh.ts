/**
 * CrimeStat's nearest-neighbour hierarchical clustering (Levine, CrimeStat IV ch. 7).
 * Threshold: the one-tailed lower confidence limit of the mean nearest-neighbour distance under complete
 * spatial randomness, E(d) + Φ⁻¹(p)·SE with E(d) = 0.5·√(A/N) and SE = 0.26136/√(N²/A) (Clark & Evans).
 * Points closer than the threshold are linked (single linkage, so a point belongs to at most one cluster);
 * linked groups with at least `minPoints` members are first-order clusters. Their mean centres are then
 * clustered the same way (N = number of clusters, same area) to give second- and higher-order clusters.
 */
import KDBush from 'kdbush';
import { normalQuantile } from '../../util/special-functions.js';
import type { PlanarPointSet } from './types.js';

export interface NnhOptions {
  /** One-tailed probability of a pair being that close by chance (CrimeStat's "probability level"). Default 0.1. */
  pValue?: number;
  /** Minimum members per first-order cluster (CrimeStat default 10). */
  minPoints?: number;
  /** Minimum members (lower-order clusters) at second and higher orders; default `minPoints` as in CrimeStat. */
  minPointsHigher?: number;
  /** Study area in m²; default the points' bounding rectangle (CrimeStat's default too). */
  area?: number;
  /** Fixed threshold distance in metres instead of the random-NN one. */
  fixedDistance?: number;
  maxOrder?: number;
}

export interface NnhCluster {
  id: number;
  /** Incidents in the cluster (through all lower orders). */
  size: number;
  /** Lower-order clusters (or incidents at order 1) it joins. */
  members: number;
  cx: number;
  cy: number;
}

export interface NnhOrder {
  order: number;
  threshold: number;
  /** Cluster of each incident at this order, -1 where it belongs to none. */
  labels: Int32Array;
  clusters: NnhCluster[];
}

/** Expected random nearest-neighbour distance and its standard error for N points on area A. */
export function randomNnDistance(N: number, A: number): { mean: number; se: number } {
  return { mean: 0.5 * Math.sqrt(A / N), se: 0.26136 / Math.sqrt((N * N) / A) };
}

export function nnhThreshold(N: number, A: number, pValue: number): number {
  const { mean, se } = randomNnDistance(N, A);
  return mean + normalQuantile(pValue) * se;
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; }
  return i;
}

/** Single-linkage groups at distance ≤ d with ≥ minPoints members: label per item (-1 none) and group count. */
function linkGroups(x: Float64Array, y: Float64Array, d: number, minPoints: number): { labels: Int32Array; k: number } {
  const n = x.length, parent = Int32Array.from({ length: n }, (_, i) => i);
  const index = new KDBush(Math.max(1, n));
  for (let i = 0; i < n; i++) index.add(x[i], y[i]);
  index.finish();
  for (let i = 0; i < n; i++) {
    for (const j of index.within(x[i], y[i], d)) {
      if (j <= i) continue;
      const a = find(parent, i), b = find(parent, j);
      if (a !== b) parent[a] = b;
    }
  }
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[find(parent, i)]++;
  const id = new Int32Array(n).fill(-1);
  let k = 0;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(parent, i);
    if (size[r] < minPoints) { labels[i] = -1; continue; }
    if (id[r] < 0) id[r] = k++;
    labels[i] = id[r];
  }
  return { labels, k };
}

export function nnh(p: PlanarPointSet, o: NnhOptions = {}): NnhOrder[] {
  const n = p.x.length, pValue = o.pValue ?? 0.1, minPoints = o.minPoints ?? 10, maxOrder = o.maxOrder ?? 10;
  if (!(pValue > 0 && pValue < 1)) throw new Error(`NNH probability must be in (0, 1), got ${pValue}`);
  const minHigher = o.minPointsHigher ?? minPoints;
  if (!(minPoints >= 2) || !(minHigher >= 2)) throw new Error('NNH needs at least 2 points per cluster'); // 1 would make every point a cluster at every order
  let area = o.area;
  if (area === undefined) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) { x0 = Math.min(x0, p.x[i]); x1 = Math.max(x1, p.x[i]); y0 = Math.min(y0, p.y[i]); y1 = Math.max(y1, p.y[i]); }
    area = (x1 - x0) * (y1 - y0);
  }
  if (!(area > 0)) throw new Error('NNH needs a positive study area');
  const orders: NnhOrder[] = [];
  // items of the current order: their coordinates and the incident count each stands for
  let ix = p.x, iy = p.y;
  let itemOfIncident = Int32Array.from({ length: n }, (_, i) => i);
  let itemSize = new Float64Array(n).fill(1);
  for (let order = 1; order <= maxOrder; order++) {
    const need = order === 1 ? minPoints : minHigher;
    if (ix.length < need) break;
    const d = o.fixedDistance ?? nnhThreshold(ix.length, area, pValue);
    const g = linkGroups(ix, iy, d, need);
    if (g.k === 0) break;
    const cx = new Float64Array(g.k), cy = new Float64Array(g.k), members = new Int32Array(g.k), size = new Float64Array(g.k);
    for (let i = 0; i < ix.length; i++) {
      const c = g.labels[i];
      if (c < 0) continue;
      cx[c] += ix[i]; cy[c] += iy[i]; members[c]++; size[c] += itemSize[i];
    }
    // mean centres of the member items (CrimeStat clusters centres, unweighted, at higher orders)
    for (let c = 0; c < g.k; c++) { cx[c] /= members[c]; cy[c] /= members[c]; }
    const labels = Int32Array.from(itemOfIncident, (it) => (it < 0 ? -1 : g.labels[it]));
    orders.push({
      order, threshold: d, labels,
      clusters: Array.from({ length: g.k }, (_, c) => ({ id: c, size: size[c], members: members[c], cx: cx[c], cy: cy[c] })),
    });
    ix = cx; iy = cy; itemOfIncident = labels; itemSize = size;
  }
  return orders;
}
