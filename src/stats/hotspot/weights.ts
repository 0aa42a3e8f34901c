/**
 * Spatial weights for hot-spot statistics, as CSR with Float64 weights: row i's neighbours are
 * neighbors[offsets[i] .. offsets[i+1]) with weights at the same positions.
 * Built from a unit set's contiguity adjacency, or from projected centroids (distance band, k nearest).
 */
import KDBush from 'kdbush';
import type { Adjacency, SpatialUnits } from '../../space/units.js';
import { localProjection } from '../../space/projection.js';
import { UserError } from '../../util/errors.js';

export type WeightStyle = 'binary' | 'row';

export interface SpatialWeights {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  readonly weights: Float64Array;
  /** True when every row holds its own region (the "star" in Gi*). */
  readonly selfIncluded: boolean;
  readonly style: WeightStyle;
}

export interface WeightOptions {
  /** 'binary' (1 per neighbour) or 'row' (each row sums to 1). Default binary. */
  style?: WeightStyle;
  /** Put region i in its own row with weight 1 before standardising (Gi*). Default false. */
  includeSelf?: boolean;
}

/** Neighbours of i other than i itself. */
export function neighbourCount(w: SpatialWeights, i: number): number {
  let k = 0;
  for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) if (w.neighbors[e] !== i) k++;
  return k;
}

/** Regions with no neighbour other than themselves. */
export function islandsOf(w: SpatialWeights): number[] {
  const out: number[] = [];
  for (let i = 0; i < w.n; i++) if (neighbourCount(w, i) === 0) out.push(i);
  return out;
}

/** CSR from per-row neighbour lists (self-references and duplicates in the lists are dropped). */
function fromLists(n: number, rows: ArrayLike<number>[], opts: WeightOptions): SpatialWeights {
  const style = opts.style ?? 'binary';
  const self = opts.includeSelf ?? false;
  const offsets = new Int32Array(n + 1);
  const seen = new Int32Array(n).fill(-1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    let k = self ? 1 : 0;
    seen[i] = i;
    for (let e = 0; e < r.length; e++) {
      const j = r[e];
      if (seen[j] !== i) { seen[j] = i; k++; }
    }
    total += k;
    offsets[i + 1] = total;
  }
  const neighbors = new Int32Array(total);
  const weights = new Float64Array(total);
  seen.fill(-1);
  for (let i = 0; i < n; i++) {
    let p = offsets[i];
    seen[i] = i;
    if (self) { neighbors[p] = i; weights[p] = 1; p++; }
    const r = rows[i];
    for (let e = 0; e < r.length; e++) {
      const j = r[e];
      if (j < 0 || j >= n) throw new RangeError(`neighbour index ${j} of region ${i} outside [0, ${n})`);
      if (seen[j] !== i) { seen[j] = i; neighbors[p] = j; weights[p] = 1; p++; }
    }
    const deg = offsets[i + 1] - offsets[i];
    if (style === 'row' && deg > 0) for (let e = offsets[i]; e < offsets[i + 1]; e++) weights[e] = 1 / deg;
  }
  return { n, offsets, neighbors, weights, selfIncluded: self, style };
}

/** Contiguity weights from a unit set's CSR adjacency (rook/queen/H3 ring — whatever the units built). */
export function contiguityWeights(adj: Adjacency, opts: WeightOptions = {}): SpatialWeights {
  const n = adj.offsets.length - 1;
  const rows: Int32Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    // Drop any self-loop the adjacency may carry; includeSelf decides that explicitly.
    const r = adj.neighbors.subarray(adj.offsets[i], adj.offsets[i + 1]);
    rows[i] = r.includes(i) ? r.filter((j) => j !== i) : r;
  }
  return fromLists(n, rows, opts);
}

/** Weights from explicit neighbour lists (tests, custom neighbourhoods). */
export function weightsFromLists(lists: number[][], opts: WeightOptions = {}): SpatialWeights {
  return fromLists(lists.length, lists, opts);
}

/** Centroids projected to a local transverse Mercator (metres), centred on their mean. */
export function projectCentroids(lat: Float64Array, lon: Float64Array): { x: Float64Array; y: Float64Array } {
  const n = lat.length;
  if (n === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  let sLat = 0, sLon = 0;
  for (let i = 0; i < n; i++) { sLat += lat[i]; sLon += lon[i]; }
  return localProjection(sLat / n, sLon / n).forward(lat, lon);
}

function indexPoints(x: Float64Array, y: Float64Array): KDBush {
  const idx = new KDBush(Math.max(1, x.length));
  for (let i = 0; i < x.length; i++) idx.add(x[i], y[i]);
  if (x.length === 0) idx.add(0, 0);
  return idx.finish();
}

/** Fixed distance band: every region whose centroid lies within `thresholdM` metres is a neighbour. */
export function distanceBandWeightsXY(x: Float64Array, y: Float64Array, thresholdM: number, opts: WeightOptions = {}): SpatialWeights {
  if (!(thresholdM > 0)) throw new UserError(`distance band must be positive, got ${thresholdM}`);
  const n = x.length;
  const idx = indexPoints(x, y);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = idx.within(x[i], y[i], thresholdM).filter((j) => j !== i && j < n).sort((a, b) => a - b);
  return fromLists(n, rows, opts);
}

/** k nearest centroids (ties at the k-th distance broken by index, so the result is deterministic). */
export function knnWeightsXY(x: Float64Array, y: Float64Array, k: number, opts: WeightOptions = {}): SpatialWeights {
  const n = x.length;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`k must be a positive integer, got ${k}`);
  if (k > n - 1) throw new UserError(`k = ${k} needs at least ${k + 1} regions, have ${n}`);
  const idx = indexPoints(x, y);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i]; if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i]; if (y[i] > maxY) maxY = y[i];
  }
  // Start from the radius that would hold k+1 points at uniform density, double until enough.
  const areaBox = Math.max((maxX - minX) * (maxY - minY), 1);
  const r0 = Math.sqrt((areaBox * (k + 1)) / (Math.PI * n)) || 1;
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    let r = r0, found: number[];
    for (;;) {
      found = idx.within(x[i], y[i], r).filter((j) => j !== i && j < n);
      if (found.length >= k) break;
      r *= 2;
    }
    const d2 = (j: number) => (x[j] - x[i]) ** 2 + (y[j] - y[i]) ** 2;
    found.sort((a, b) => d2(a) - d2(b) || a - b);
    rows[i] = found.slice(0, k);
  }
  return fromLists(n, rows, opts);
}

export function distanceBandWeights(units: Pick<SpatialUnits, 'centroidLat' | 'centroidLon'>, thresholdM: number, opts: WeightOptions = {}): SpatialWeights {
  const { x, y } = projectCentroids(units.centroidLat, units.centroidLon);
  return distanceBandWeightsXY(x, y, thresholdM, opts);
}

export function knnWeights(units: Pick<SpatialUnits, 'centroidLat' | 'centroidLon'>, k: number, opts: WeightOptions = {}): SpatialWeights {
  const { x, y } = projectCentroids(units.centroidLat, units.centroidLon);
  return knnWeightsXY(x, y, k, opts);
}

/** Row sums Σ_j w_ij and Σ_j w_ij² (used by Gi*). */
export function rowSums(w: SpatialWeights): { sum: Float64Array; sumSq: Float64Array } {
  const sum = new Float64Array(w.n), sumSq = new Float64Array(w.n);
  for (let i = 0; i < w.n; i++) {
    let s = 0, s2 = 0;
    for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) { const v = w.weights[e]; s += v; s2 += v * v; }
    sum[i] = s; sumSq[i] = s2;
  }
  return { sum, sumSq };
}

/** Spatial lag Σ_j w_ij x_j for every i. */
export function spatialLag(w: SpatialWeights, x: ArrayLike<number>, out: Float64Array = new Float64Array(w.n)): Float64Array {
  for (let i = 0; i < w.n; i++) {
    let s = 0;
    for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) s += w.weights[e] * x[w.neighbors[e]];
    out[i] = s;
  }
  return out;
}
