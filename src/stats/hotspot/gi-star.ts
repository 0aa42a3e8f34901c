/**
 * Getis-Ord Gi* as ArcGIS "Hot Spot Analysis" computes it (Ord & Getis 1995):
 *   Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / ( S √[(n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)] )
 * with X̄ = Σx/n and S = √(Σx²/n − X̄²); the sum runs over j including i itself. Gi* is already a
 * z-score; p is two-sided normal. Hand-written: there is no maintained JS port of PySAL esda.
 */
import { benjaminiHochberg } from './fdr.js';
import { confidenceBin } from './confidence.js';
import { twoSidedP } from '../../util/special-functions.js';
import { neighbourCount, rowSums, spatialLag, type SpatialWeights } from './weights.js';

export interface GiStarOptions {
  /** Apply Benjamini–Hochberg FDR correction before binning. Default false. */
  fdr?: boolean;
}

export interface GiStarResult {
  readonly method: 'gi*';
  readonly n: number;
  /** Gi* z-score; null where it is undefined (see `reason`). */
  readonly z: (number | null)[];
  /** Two-sided p-value, uncorrected. */
  readonly p: (number | null)[];
  /** BH-adjusted p-value when `fdr` was requested, else null throughout. */
  readonly q: (number | null)[];
  /** Confidence bin −3..3 (from q when fdr, else p); 0 where z is null. */
  readonly bin: Int8Array;
  /** Why z is null (e.g. "no neighbours"), else null. */
  readonly reason: (string | null)[];
  /** Regions with no neighbour besides themselves. */
  readonly islands: number[];
  /** Regions with exactly one neighbour: computed, but the local sum rests on two values only. */
  readonly singleNeighbour: number[];
  readonly fdr: boolean;
  readonly mean: number;
  readonly sd: number;
}

/** z from the local weighted sum and the row's weight moments; shared with the space-time version. */
export function giStarZ(localSum: number, wSum: number, wSumSq: number, mean: number, sd: number, n: number): number {
  const den = sd * Math.sqrt((n * wSumSq - wSum * wSum) / (n - 1));
  return (localSum - mean * wSum) / den;
}

export function giStar(values: ArrayLike<number>, w: SpatialWeights, opts: GiStarOptions = {}): GiStarResult {
  const n = w.n;
  if (values.length !== n) throw new Error(`giStar: ${values.length} values for ${n} regions`);
  if (!w.selfIncluded) throw new Error('giStar needs weights built with includeSelf: true (Gi* counts each region in its own neighbourhood)');
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { s += values[i]; s2 += values[i] * values[i]; }
  const mean = s / n;
  const sd = Math.sqrt(Math.max(0, s2 / n - mean * mean));
  const lag = spatialLag(w, values);
  const { sum, sumSq } = rowSums(w);
  const z: (number | null)[] = new Array(n).fill(null);
  const p: (number | null)[] = new Array(n).fill(null);
  const reason: (string | null)[] = new Array(n).fill(null);
  const islands: number[] = [], singleNeighbour: number[] = [];
  // Relative tolerance: a constant column has S that is round-off, not signal.
  const flat = !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
  for (let i = 0; i < n; i++) {
    const k = neighbourCount(w, i);
    if (k === 0) { islands.push(i); reason[i] = 'no neighbours'; continue; }
    if (k === 1) singleNeighbour.push(i);
    if (n < 3) { reason[i] = 'fewer than 3 regions'; continue; }
    if (flat) { reason[i] = 'all values equal (zero variance)'; continue; }
    const zi = giStarZ(lag[i], sum[i], sumSq[i], mean, sd, n);
    // A neighbourhood covering every region has zero variance under the null.
    if (!Number.isFinite(zi)) { reason[i] = 'neighbourhood covers every region'; continue; }
    z[i] = zi;
    p[i] = twoSidedP(zi);
  }
  const q = adjustIfRequested(p, opts.fdr ?? false);
  const bin = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const pv = opts.fdr ? q[i] : p[i];
    if (z[i] !== null && pv !== null) bin[i] = confidenceBin(z[i]!, pv);
  }
  return { method: 'gi*', n, z, p, q, bin, reason, islands, singleNeighbour, fdr: opts.fdr ?? false, mean, sd };
}

/** BH over the defined p-values only; undefined entries stay null. */
export function adjustIfRequested(p: (number | null)[], fdr: boolean): (number | null)[] {
  const q: (number | null)[] = new Array(p.length).fill(null);
  if (!fdr) return q;
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i] !== null) idx.push(i);
  const adj = benjaminiHochberg(idx.map((i) => p[i]!));
  for (let k = 0; k < idx.length; k++) q[idx[k]] = adj[k];
  return q;
}
