/**
 * Mann-Kendall trend test (Mann 1945; Kendall 1975) with the tie correction:
 *   S = Σ_{i<j} sgn(x_j − x_i)
 *   Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18   (t_g = size of tie group g)
 *   Z = (S − 1)/√Var if S > 0, (S + 1)/√Var if S < 0, else 0 (continuity correction)
 * O(n²) pairs: series are one value per time step, so n is small. Hand-written (a dozen lines).
 */
import { twoSidedP } from '../../util/special-functions.js';

export interface MannKendallResult {
  readonly n: number;
  readonly S: number;
  readonly varS: number;
  /** null when Var(S) = 0 (n < 2 or every value tied). */
  readonly z: number | null;
  readonly p: number | null;
  /** Kendall's tau-a = S / (n(n−1)/2). */
  readonly tau: number | null;
}

export function mannKendall(x: ArrayLike<number>): MannKendallResult {
  const n = x.length;
  let S = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    for (let j = i + 1; j < n; j++) S += Math.sign(x[j] - xi);
  }
  // Tie groups: sort a copy and count runs of equal values.
  const sorted = Float64Array.from(x).sort();
  let tieTerm = 0;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && sorted[b] === sorted[a]) b++;
    const t = b - a;
    if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
    a = b;
  }
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  if (!(varS > 0)) return { n, S, varS: Math.max(0, varS), z: null, p: null, tau: n >= 2 ? S / ((n * (n - 1)) / 2) : null };
  const z = S > 0 ? (S - 1) / Math.sqrt(varS) : S < 0 ? (S + 1) / Math.sqrt(varS) : 0;
  return { n, S, varS, z, p: twoSidedP(z), tau: S / ((n * (n - 1)) / 2) };
}
