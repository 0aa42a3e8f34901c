/**
 * k-means (Lloyd's iterations) with k-means++ seeding (Arthur & Vassilvitskii 2007), seeded for
 * reproducibility; the best of `restarts` runs by inertia is kept.
 */
import { Rng } from '../../util/rng.js';
import type { Clustering, PlanarPointSet } from './types.js';

export interface KMeansOptions {
  seed?: number;
  maxIter?: number;
  restarts?: number;
  /** Stop when no centre moves more than this (metres). */
  tol?: number;
}

export interface KMeansResult extends Clustering {
  cx: Float64Array;
  cy: Float64Array;
  /** Sum of squared distances to the assigned centre (m²). */
  inertia: number;
  iterations: number;
}

function seedPlusPlus(p: PlanarPointSet, k: number, rng: Rng, cx: Float64Array, cy: Float64Array): void {
  const n = p.x.length, d2 = new Float64Array(n).fill(Infinity);
  let c = rng.int(n);
  for (let j = 0; j < k; j++) {
    cx[j] = p.x[c]; cy[j] = p.y[c];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = (p.x[i] - cx[j]) ** 2 + (p.y[i] - cy[j]) ** 2;
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
    if (total === 0) { c = rng.int(n); continue; } // all points coincide with centres: any choice will do
    let u = rng.random() * total;
    c = n - 1;
    for (let i = 0; i < n; i++) { u -= d2[i]; if (u < 0) { c = i; break; } }
  }
}

function lloyd(p: PlanarPointSet, k: number, rng: Rng, maxIter: number, tol: number): KMeansResult {
  const n = p.x.length;
  const cx = new Float64Array(k), cy = new Float64Array(k);
  seedPlusPlus(p, k, rng, cx, cy);
  const labels = new Int32Array(n);
  const sx = new Float64Array(k), sy = new Float64Array(k), cnt = new Float64Array(k);
  let inertia = 0, it = 0;
  for (it = 1; it <= maxIter; it++) {
    inertia = 0;
    sx.fill(0); sy.fill(0); cnt.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0, bd = Infinity;
      for (let j = 0; j < k; j++) {
        const d = (p.x[i] - cx[j]) ** 2 + (p.y[i] - cy[j]) ** 2;
        if (d < bd) { bd = d; best = j; }
      }
      labels[i] = best; inertia += bd;
      sx[best] += p.x[i]; sy[best] += p.y[i]; cnt[best]++;
    }
    let moved = 0;
    for (let j = 0; j < k; j++) {
      if (cnt[j] === 0) { const r = rng.int(n); cx[j] = p.x[r]; cy[j] = p.y[r]; moved = Infinity; continue; } // re-seed an empty cluster
      const nx = sx[j] / cnt[j], ny = sy[j] / cnt[j];
      moved = Math.max(moved, Math.hypot(nx - cx[j], ny - cy[j]));
      cx[j] = nx; cy[j] = ny;
    }
    if (moved <= tol) break;
  }
  return { labels, k, cx, cy, inertia, iterations: Math.min(it, maxIter) };
}

export function kmeans(p: PlanarPointSet, k: number, o: KMeansOptions = {}): KMeansResult {
  const n = p.x.length;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (n < k) throw new Error(`k-means needs at least k = ${k} points, got ${n}`);
  const rng = new Rng(o.seed ?? 1);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (o.restarts ?? 4); r++) {
    const res = lloyd(p, k, rng, o.maxIter ?? 100, o.tol ?? 1e-3);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}
