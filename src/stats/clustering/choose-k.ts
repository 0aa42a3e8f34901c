/**
 * Choosing k for k-means: mean silhouette width (Rousseeuw 1987) on a seeded sample of at most
 * `sample` points (silhouettes are O(n²)), or the elbow of the inertia curve (the k farthest from the chord
 * joining the first and last points of the normalised curve, as in Kneedle).
 */
import { Rng } from '../../util/rng.js';
import { kmeans, type KMeansOptions, type KMeansResult } from './kmeans.js';
import type { PlanarPointSet } from './types.js';

export interface ChooseKOptions extends KMeansOptions {
  kMin?: number;
  kMax?: number;
  method?: 'silhouette' | 'elbow';
  /** Largest sample the silhouette is computed on. */
  sample?: number;
}

export interface ChooseKResult {
  k: number;
  /** Score per k tried (mean silhouette, or inertia for the elbow). */
  scores: { k: number; score: number }[];
  best: KMeansResult;
}

/** Mean silhouette width of a labelling, over the points in `idx`. */
export function meanSilhouette(p: PlanarPointSet, labels: Int32Array, k: number, idx: Int32Array): number {
  const sum = new Float64Array(k), cnt = new Float64Array(k);
  for (const i of idx) cnt[labels[i]]++;
  let total = 0;
  for (const i of idx) {
    sum.fill(0);
    for (const j of idx) if (j !== i) sum[labels[j]] += Math.hypot(p.x[i] - p.x[j], p.y[i] - p.y[j]);
    const own = labels[i];
    if (cnt[own] <= 1) continue; // singleton: silhouette 0 by convention
    const a = sum[own] / (cnt[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && cnt[c] > 0) b = Math.min(b, sum[c] / cnt[c]);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return total / idx.length;
}

export function chooseK(p: PlanarPointSet, o: ChooseKOptions = {}): ChooseKResult {
  const n = p.x.length, method = o.method ?? 'silhouette';
  const kMin = Math.max(method === 'silhouette' ? 2 : 1, o.kMin ?? 2), kMax = Math.min(o.kMax ?? 10, n - 1);
  if (kMax < kMin) throw new Error(`cannot choose k in [${kMin}, ${kMax}] with ${n} points`);
  const m = Math.min(n, o.sample ?? 2000);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  if (m < n) new Rng((o.seed ?? 1) + 7919).shuffle(idx);
  const sampleIdx = idx.subarray(0, m);
  const fits: KMeansResult[] = [], scores: { k: number; score: number }[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const f = kmeans(p, k, o);
    fits.push(f);
    scores.push({ k, score: method === 'silhouette' ? meanSilhouette(p, f.labels, k, sampleIdx) : f.inertia });
  }
  let pick = 0;
  if (method === 'silhouette') {
    scores.forEach((s, i) => { if (s.score > scores[pick].score) pick = i; });
  } else if (scores.length > 2) {
    const first = scores[0].score, last = scores[scores.length - 1].score, span = first - last || 1;
    let far = -Infinity;
    scores.forEach((s, i) => {
      // distance below the chord, both axes scaled to [0, 1]
      const xs = i / (scores.length - 1), ys = (first - s.score) / span;
      const d = ys - xs;
      if (d > far) { far = d; pick = i; }
    });
  }
  return { k: scores[pick].k, scores, best: fits[pick] };
}
