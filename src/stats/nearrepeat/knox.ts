/**
 * Knox space-time interaction test as in the Near Repeat Calculator (Ratcliffe 2009; Johnson et al. 2007):
 * pairs of events are tabulated by distance band × time band, and each cell's observed count is compared with
 * its distribution under random permutations of the event times among the fixed locations.
 *
 * Only pairs closer than the largest distance edge are materialised (kdbush radius queries, not O(n²));
 * the "beyond" distance row is derived from the total pair count per time band, which a time permutation
 * cannot change (it only relabels which pair has which time gap).
 */
import KDBush from 'kdbush';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';

const DAY_MS = 86_400_000;

export interface KnoxOptions {
  /** Ascending distance edges in metres, e.g. [0, 100, 200, 400]: bands [0,100), [100,200), [200,400), plus ≥ 400. */
  distanceBands: number[];
  /** Ascending time edges in days, e.g. [0, 7, 14, 28]: bands [0,7), [7,14), [14,28), plus ≥ 28. */
  timeBands: number[];
  /** Monte Carlo permutations (99 gives p ≥ 0.01, 999 gives p ≥ 0.001). */
  permutations?: number;
  seed?: number;
  /** Refuse inputs that would materialise more close pairs than this (memory guard). */
  maxPairs?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface KnoxResult {
  n: number;
  permutations: number;
  /** Pairs closer than the largest distance edge. */
  closePairs: number;
  distanceLabels: string[];
  timeLabels: string[];
  /** [distance band][time band], the last row and column being "beyond the largest edge". */
  observed: number[][];
  expected: number[][];
  /** observed / expected (NaN where nothing is expected). */
  ratio: number[][];
  /** Upper-tail Monte Carlo p-value (1 + #{permuted ≥ observed}) / (1 + permutations). */
  pValue: number[][];
}

function checkEdges(e: number[], what: string): void {
  if (e.length < 2) throw new UserError(`${what} needs at least two edges (e.g. 0,100,200)`);
  for (let i = 0; i < e.length; i++) {
    if (!Number.isFinite(e[i]) || e[i] < 0) throw new UserError(`${what}: edges must be non-negative numbers, got ${e[i]}`);
    if (i > 0 && e[i] <= e[i - 1]) throw new UserError(`${what}: edges must increase (${e.join(',')})`);
  }
}

/** Band of v among edges: k for e[k] ≤ v < e[k+1], bands (= edges.length - 1) for v ≥ last edge, -1 below the first. */
function bandOf(v: number, e: number[]): number {
  if (v < e[0]) return -1;
  let k = 0;
  while (k < e.length - 1 && v >= e[k + 1]) k++;
  return k;
}

const label = (e: number[], unit: string) => [
  ...e.slice(0, -1).map((lo, k) => `${lo}-${e[k + 1]}${unit}`),
  `>=${e[e.length - 1]}${unit}`,
];

export function knoxTest(pts: { x: Float64Array; y: Float64Array; t: Float64Array }, o: KnoxOptions): KnoxResult {
  const D = o.distanceBands, T = o.timeBands;
  checkEdges(D, 'distance bands');
  checkEdges(T, 'time bands');
  const n = pts.x.length, M = o.permutations ?? 99, nd = D.length, nt = T.length; // nd - 1 close bands + 1 beyond
  if (n < 2) throw new UserError('the Knox test needs at least two events');
  const maxD = D[D.length - 1], maxPairs = o.maxPairs ?? 50_000_000;

  const index = new KDBush(n);
  for (let i = 0; i < n; i++) index.add(pts.x[i], pts.y[i]);
  index.finish();
  const pi: number[] = [], pj: number[] = [], pb: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const j of index.within(pts.x[i], pts.y[i], maxD)) {
      if (j <= i) continue;
      const b = bandOf(Math.hypot(pts.x[i] - pts.x[j], pts.y[i] - pts.y[j]), D);
      if (b >= nd - 1) continue;
      // pairs nearer than the first edge are kept in a hidden row so they are not mistaken for "beyond"
      pi.push(i); pj.push(j); pb.push(b < 0 ? nd : b);
    }
    if (pi.length > maxPairs) throw new UserError(`more than ${maxPairs} event pairs lie within ${maxD} m`, 'filter by category or period, or use a smaller largest distance band');
  }
  const I = Int32Array.from(pi), J = Int32Array.from(pj), B = Uint8Array.from(pb);
  const P = I.length;

  // all pairs per time band (permutation-invariant), from sorted times with two pointers
  const days = Float64Array.from(pts.t, (v) => v / DAY_MS);
  const sorted = Float64Array.from(days).sort();
  const totalPerTime = pairsPerTimeBand(sorted, T);

  const table = (t: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let k = 0; k < P; k++) {
      const tb = bandOf(Math.abs(t[I[k]] - t[J[k]]), T);
      if (tb >= 0) out[B[k] * nt + tb]++;
    }
    // beyond row = all pairs in the time band minus those counted in close (or hidden too-close) bands
    for (let tb = 0; tb < nt; tb++) {
      let close = out[nd * nt + tb];
      for (let db = 0; db < nd - 1; db++) close += out[db * nt + tb];
      out[(nd - 1) * nt + tb] = totalPerTime[tb] - close;
    }
  };

  const obs = new Float64Array((nd + 1) * nt), perm = new Float64Array((nd + 1) * nt);
  table(days, obs);
  const sum = new Float64Array(nd * nt), ge = new Float64Array(nd * nt);
  const rng = new Rng(o.seed ?? 1);
  const shuffled = Float64Array.from(days);
  for (let m = 0; m < M; m++) {
    rng.shuffle(shuffled);
    table(shuffled, perm);
    for (let c = 0; c < nd * nt; c++) {
      sum[c] += perm[c];
      if (perm[c] >= obs[c]) ge[c]++;
    }
    o.onProgress?.(m + 1, M);
  }
  const grid = (f: (c: number) => number) => Array.from({ length: nd }, (_, r) => Array.from({ length: nt }, (_, c) => f(r * nt + c)));
  return {
    n,
    permutations: M,
    closePairs: P,
    distanceLabels: label(D, 'm'),
    timeLabels: label(T, 'd'),
    observed: grid((c) => obs[c]),
    expected: grid((c) => sum[c] / M),
    ratio: grid((c) => (sum[c] > 0 ? obs[c] / (sum[c] / M) : NaN)),
    pValue: grid((c) => (1 + ge[c]) / (1 + M)),
  };
}

/** Number of unordered pairs whose time gap falls in each band (last = beyond the largest edge). */
function pairsPerTimeBand(sorted: Float64Array, T: number[]): Float64Array {
  const n = sorted.length;
  // below[k] = pairs with gap < T[k]
  const below = T.map((edge) => {
    let count = 0;
    for (let i = 0, j = 0; i < n; i++) {
      while (j < i && sorted[i] - sorted[j] >= edge) j++;
      count += i - j;
    }
    return count;
  });
  const total = (n * (n - 1)) / 2;
  const out = new Float64Array(T.length);
  for (let k = 0; k < T.length - 1; k++) out[k] = below[k + 1] - below[k];
  out[T.length - 1] = total - below[T.length - 1];
  return out;
}
