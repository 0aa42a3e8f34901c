/**
 * Global Moran's I (Moran 1950; moments from Cliff & Ord 1981):
 *   I = (n / S0) · Σ_i Σ_j w_ij z_i z_j / Σ_i z_i²,  z = x − x̄,  E[I] = −1/(n−1)
 * with analytical variances under normality and under randomisation, and a seeded permutation
 * pseudo p-value. Hand-written: there is no maintained JS port of PySAL esda.
 */
import { Rng } from '../../util/rng.js';
import { twoSidedP } from '../../util/special-functions.js';
import { islandsOf, spatialLag, type SpatialWeights } from './weights.js';

export interface GlobalMoranOptions {
  /** Random permutations for the pseudo p-value; 0 skips them. Default 999. */
  permutations?: number;
  seed?: number;
}

export interface GlobalMoranResult {
  readonly method: 'moran-global';
  readonly n: number;
  /** null when undefined (all values equal, no links, n < 4): see `reason`. */
  readonly I: number | null;
  readonly expected: number;
  readonly normality: { variance: number; z: number; p: number } | null;
  readonly randomisation: { variance: number; z: number; p: number } | null;
  /** Permutation inference: one-sided in the direction of the observed I, as PySAL reports it. */
  readonly permutation: { permutations: number; pSim: number; zSim: number | null; mean: number; sd: number } | null;
  readonly reason: string | null;
  readonly islands: number[];
  readonly S0: number;
  readonly S1: number;
  readonly S2: number;
}

/** S0 = ΣΣ w_ij, S1 = ½ ΣΣ (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)². */
export function weightMoments(w: SpatialWeights): { S0: number; S1: number; S2: number } {
  const n = w.n;
  const rowSum = new Float64Array(n), colSum = new Float64Array(n);
  // w_ij + w_ji per unordered pair, keyed i*n+j with i ≤ j (exact in a double for n < 9e7).
  const pair = new Map<number, number>();
  let S0 = 0;
  for (let i = 0; i < n; i++) {
    for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) {
      const j = w.neighbors[e], v = w.weights[e];
      S0 += v; rowSum[i] += v; colSum[j] += v;
      const key = i <= j ? i * n + j : j * n + i;
      pair.set(key, (pair.get(key) ?? 0) + v);
    }
  }
  let S1 = 0;
  for (const [key, v] of pair) {
    const i = Math.floor(key / n), j = key - i * n;
    // Off-diagonal pair appears twice in the ordered double sum: ½·2·(w_ij+w_ji)²; diagonal once: ½·(2w_ii)².
    S1 += i === j ? 2 * v * v : v * v;
  }
  let S2 = 0;
  for (let i = 0; i < n; i++) S2 += (rowSum[i] + colSum[i]) ** 2;
  return { S0, S1, S2 };
}

function crossProduct(w: SpatialWeights, z: Float64Array, lag: Float64Array): number {
  spatialLag(w, z, lag);
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i] * lag[i];
  return s;
}

export function globalMoran(values: ArrayLike<number>, w: SpatialWeights, opts: GlobalMoranOptions = {}): GlobalMoranResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`globalMoran: ${values.length} values for ${n} regions`);
  const { S0, S1, S2 } = weightMoments(w);
  const islands = islandsOf(w);
  const expected = -1 / (n - 1);
  const base = { method: 'moran-global' as const, n, expected, islands, S0, S1, S2 };
  const none = (reason: string): GlobalMoranResult => ({ ...base, I: null, normality: null, randomisation: null, permutation: null, reason });
  if (n < 4) return none('fewer than 4 regions (the randomisation variance needs n ≥ 4)');
  if (!(S0 > 0)) return none('weights have no links');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  const z = new Float64Array(n);
  let m2 = 0, m4 = 0;
  for (let i = 0; i < n; i++) { const d = values[i] - mean; z[i] = d; m2 += d * d; m4 += d * d * d * d; }
  if (!(m2 > 1e-24 * n * Math.max(1, mean * mean))) return none('all values equal (zero variance)');
  const lag = new Float64Array(n);
  const scale = n / (S0 * m2);
  const I = scale * crossProduct(w, z, lag);

  const n2 = n * n, S02 = S0 * S0, EI2 = expected * expected;
  const varN = (n2 * S1 - n * S2 + 3 * S02) / ((n2 - 1) * S02) - EI2;
  const kurt = (m4 / n) / ((m2 / n) ** 2);
  const varR = (n * ((n2 - 3 * n + 3) * S1 - n * S2 + 3 * S02) - kurt * ((n2 - n) * S1 - 2 * n * S2 + 6 * S02)) /
    ((n - 1) * (n - 2) * (n - 3) * S02) - EI2;
  const infer = (v: number) => {
    const zz = (I - expected) / Math.sqrt(v);
    return { variance: v, z: zz, p: twoSidedP(zz) };
  };

  const perms = opts.permutations ?? 999;
  let permutation: GlobalMoranResult['permutation'] = null;
  if (perms > 0) {
    const rng = new Rng(opts.seed ?? 1);
    const zp = Float64Array.from(z);
    let larger = 0, s = 0, ss = 0;
    for (let k = 0; k < perms; k++) {
      rng.shuffle(zp);
      const Ik = scale * crossProduct(w, zp, lag);
      if (Ik >= I) larger++;
      s += Ik; ss += Ik * Ik;
    }
    // Fold to the tail the observed value lies in (PySAL's convention).
    if (perms - larger < larger) larger = perms - larger;
    const pm = s / perms;
    const psd = Math.sqrt(Math.max(0, ss / perms - pm * pm));
    permutation = { permutations: perms, pSim: (larger + 1) / (perms + 1), zSim: psd > 0 ? (I - pm) / psd : null, mean: pm, sd: psd };
  }
  return {
    ...base, I, reason: null, permutation,
    normality: varN > 0 ? infer(varN) : null,
    randomisation: varR > 0 ? infer(varR) : null,
  };
}
