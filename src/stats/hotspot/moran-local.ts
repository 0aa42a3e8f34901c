/**
 * Local Moran's I (Anselin 1995) with conditional-permutation pseudo p-values.
 *   I_i = (n − 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²,  z = x − x̄
 * (the (n−1) scaling PySAL esda uses; inference is permutation-based, so the scale does not affect p).
 * Conditional permutation holds x_i fixed and redraws its k_i neighbours from the other n−1 values.
 * As in esda, each permutation draws one random ordered sample of size max k_i and every region uses
 * its first k_i entries (skipping itself) — O(permutations · Σ k_i), not a full shuffle per region.
 * Hand-written: there is no maintained JS port of PySAL esda.
 */
import { Rng } from '../../util/rng.js';
import { neighbourCount, spatialLag, type SpatialWeights } from './weights.js';

export type LisaCluster = 'HH' | 'LL' | 'HL' | 'LH' | 'ns';

export interface LocalMoranOptions {
  /** Conditional permutations per region. Default 999. */
  permutations?: number;
  seed?: number;
  /** Significance level for labelling clusters. Default 0.05. */
  alpha?: number;
}

export interface LocalMoranResult {
  readonly method: 'moran-local';
  readonly n: number;
  /** Local I; null where undefined (see `reason`). */
  readonly I: (number | null)[];
  /** E[I_i] = −Σ_j w_ij / (n − 1) under randomisation. */
  readonly expected: Float64Array;
  /** Deviation z_i = x_i − x̄ and its spatial lag Σ_j w_ij z_j (the Moran scatterplot coordinates). */
  readonly dev: Float64Array;
  readonly lag: Float64Array;
  /** Folded one-sided pseudo p-value (count of permuted I at least as extreme, +1) / (permutations + 1). */
  readonly pSim: (number | null)[];
  /** (I − mean of permuted I) / sd of permuted I. */
  readonly zSim: (number | null)[];
  /** Scatterplot quadrant irrespective of significance. */
  readonly quadrant: (Exclude<LisaCluster, 'ns'> | null)[];
  /** Quadrant where pSim ≤ alpha, 'ns' otherwise, null where undefined. */
  readonly cluster: (LisaCluster | null)[];
  readonly reason: (string | null)[];
  readonly islands: number[];
  readonly singleNeighbour: number[];
  readonly permutations: number;
  readonly alpha: number;
}

function quadrantOf(z: number, lag: number): Exclude<LisaCluster, 'ns'> {
  // esda's convention: "high" means strictly above the mean.
  if (z > 0) return lag > 0 ? 'HH' : 'HL';
  return lag > 0 ? 'LH' : 'LL';
}

export function localMoran(values: ArrayLike<number>, w: SpatialWeights, opts: LocalMoranOptions = {}): LocalMoranResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`localMoran: ${values.length} values for ${n} regions`);
  if (w.selfIncluded) throw new Error('localMoran needs weights without self-neighbours (build with includeSelf: false)');
  const perms = opts.permutations ?? 999;
  const alpha = opts.alpha ?? 0.05;
  if (!Number.isInteger(perms) || perms < 1) throw new Error(`permutations must be a positive integer, got ${perms}`);

  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const dev = new Float64Array(n);
  let m2 = 0;
  for (let i = 0; i < n; i++) { dev[i] = values[i] - mean; m2 += dev[i] * dev[i]; }
  const lag = spatialLag(w, dev);
  const expected = new Float64Array(n);
  const I: (number | null)[] = new Array(n).fill(null);
  const pSim: (number | null)[] = new Array(n).fill(null);
  const zSim: (number | null)[] = new Array(n).fill(null);
  const quadrant: LocalMoranResult['quadrant'] = new Array(n).fill(null);
  const cluster: LocalMoranResult['cluster'] = new Array(n).fill(null);
  const reason: (string | null)[] = new Array(n).fill(null);
  const islands: number[] = [], singleNeighbour: number[] = [];
  const base = { method: 'moran-local' as const, n, expected, dev, lag, I, pSim, zSim, quadrant, cluster, reason, islands, singleNeighbour, permutations: perms, alpha };

  const k = new Int32Array(n);
  let kmax = 0;
  for (let i = 0; i < n; i++) {
    k[i] = neighbourCount(w, i);
    if (k[i] === 0) { islands.push(i); reason[i] = 'no neighbours'; }
    else if (k[i] === 1) singleNeighbour.push(i);
    if (k[i] > kmax) kmax = k[i];
    let ws = 0;
    for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) ws += w.weights[e];
    expected[i] = -ws / (n - 1);
  }
  const flat = !(m2 > 1e-24 * n * Math.max(1, mean * mean));
  if (n < 3 || flat) {
    const why = n < 3 ? 'fewer than 3 regions' : 'all values equal (zero variance)';
    for (let i = 0; i < n; i++) if (reason[i] === null) reason[i] = why;
    return base;
  }
  const c = (n - 1) / m2;
  for (let i = 0; i < n; i++) {
    if (k[i] === 0) continue;
    I[i] = c * dev[i] * lag[i];
    quadrant[i] = quadrantOf(dev[i], lag[i]);
  }

  // pool holds a permutation of 0..n-2; a partial Fisher–Yates over its first kmax slots draws
  // a uniform ordered sample without replacement (valid whatever order the pool was left in).
  const rng = new Rng(opts.seed ?? 1);
  const pool = new Int32Array(n - 1);
  for (let j = 0; j < n - 1; j++) pool[j] = j;
  const larger = new Int32Array(n);
  const sum = new Float64Array(n), sumSq = new Float64Array(n);
  for (let p = 0; p < perms; p++) {
    for (let s = 0; s < kmax; s++) {
      const r = s + rng.int(n - 1 - s);
      const t = pool[s]; pool[s] = pool[r]; pool[r] = t;
    }
    for (let i = 0; i < n; i++) {
      const ki = k[i];
      if (ki === 0) continue;
      let l = 0;
      const off = w.offsets[i];
      for (let e = 0; e < ki; e++) {
        const d = pool[e];
        // Sample indices live in 0..n-2; shifting those ≥ i skips region i itself.
        l += w.weights[off + e] * dev[d >= i ? d + 1 : d];
      }
      const Ip = c * dev[i] * l;
      if (Ip >= I[i]!) larger[i]++;
      sum[i] += Ip; sumSq[i] += Ip * Ip;
    }
  }
  for (let i = 0; i < n; i++) {
    if (k[i] === 0) continue;
    // Fold to the tail the observed value lies in (esda's convention).
    const g = Math.min(larger[i], perms - larger[i]);
    pSim[i] = (g + 1) / (perms + 1);
    const pm = sum[i] / perms, sd = Math.sqrt(Math.max(0, sumSq[i] / perms - pm * pm));
    zSim[i] = sd > 0 ? (I[i]! - pm) / sd : null;
    cluster[i] = pSim[i]! <= alpha ? quadrant[i] : 'ns';
  }
  return base;
}
