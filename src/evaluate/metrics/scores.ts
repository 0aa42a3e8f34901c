/**
 * Proper scores and calibration checks of a predictive distribution against observed counts.
 *
 * - log score = −log P(Y = y) (lower is better); P is floored at LOG_SCORE_FLOOR so a single impossible
 *   observation under an over-confident forecast gives a large finite penalty (−log 1e-12 ≈ 27.6), not infinity.
 * - RPS (ranked probability score, the discrete CRPS) = Σ_{j≥0} (F(j) − 1{y ≤ j})², summed up to the larger of y
 *   and the forecast's (1 − 1e-10) quantile, beyond which every term is below ~1e-20.
 * - randomised PIT (Czado, Gneiting & Held 2009): u = F(y − 1) + v·P(Y = y), v ~ U(0, 1) seeded; uniform on
 *   [0, 1] when the forecast is the true distribution. Uniformity: chi-square on equal-width bins.
 * - central prediction intervals [q_{(1−L)/2}, q_{(1+L)/2}]; coverage = share of y inside (bounds included).
 *   For counts the interval is discrete, so coverage of a correct forecast is at least L, not exactly L.
 */
import type { Forecast } from '../../models/forecaster.js';
import { logPmf, PmfWorkspace } from '../../models/distribution.js';
import type { Rng } from '../../util/rng.js';
import { chiSquareSurvival } from '../../util/special-functions.js';

export const LOG_SCORE_FLOOR = 1e-12;
export const DEFAULT_LEVELS = [0.5, 0.8, 0.95] as const;
const TAIL = 1e-10;

/**
 * Additive per-category sums. Arrays: logScore, rps, n of length C; covered and width of length L·C
 * (index l * C + c, for levels[l]); pitHist of length C·bins (index c * bins + b).
 */
export interface ScoreSums {
  categories: number;
  levels: Float64Array;
  bins: number;
  logScore: Float64Array;
  rps: Float64Array;
  n: Float64Array;
  covered: Float64Array;
  width: Float64Array;
  pitHist: Float64Array;
}

export function emptyScoreSums(categories: number, levels: ArrayLike<number> = DEFAULT_LEVELS, bins = 10): ScoreSums {
  const L = levels.length;
  return {
    categories, levels: Float64Array.from(levels), bins,
    logScore: new Float64Array(categories), rps: new Float64Array(categories), n: new Float64Array(categories),
    covered: new Float64Array(L * categories), width: new Float64Array(L * categories), pitHist: new Float64Array(categories * bins),
  };
}

export function addScoreSums(into: ScoreSums, from: ScoreSums): ScoreSums {
  const add = (a: Float64Array, b: Float64Array) => { for (let i = 0; i < a.length; i++) a[i] += b[i]; };
  add(into.logScore, from.logScore); add(into.rps, from.rps); add(into.n, from.n);
  add(into.covered, from.covered); add(into.width, from.width); add(into.pitHist, from.pitHist);
  return into;
}

/** Smallest j ≤ maxY with cdf[j] ≥ q (cdf cumulative over a pmf table), maxY when none. */
function tableQuantile(cdfTable: Float64Array, maxY: number, q: number): number {
  for (let j = 0; j <= maxY; j++) if (cdfTable[j] >= q - 1e-12) return j;
  return maxY;
}

/**
 * Per-period form: scores the cells [cellStart, cellStart + observed.length) of `f` against `observed`
 * (cellStart = h·R·C for horizon step h), adding into `into`. `rng` draws the PIT randomisation.
 * `pitOut`, when given, receives each cell's PIT value (same length as observed).
 */
export function scoreSumsPeriod(
  f: Forecast, observed: ArrayLike<number>, rng: Rng, cellStart = 0,
  into = emptyScoreSums(f.categories), pitOut?: Float64Array,
): ScoreSums {
  const C = f.categories, L = into.levels.length, B = into.bins;
  const ws = new PmfWorkspace();
  for (let j = 0; j < observed.length; j++) {
    const i = cellStart + j, c = i % C, y = Math.round(observed[j]);
    const maxY = ws.fill(f, i, TAIL, y), table = ws.p;
    // Keep P(Y = y) for the PIT and the log score, then turn the pmf into the cdf in place.
    const py = y >= 0 ? table[y] : 0;
    for (let k = 1; k <= maxY; k++) table[k] += table[k - 1];
    let rps = 0;
    for (let k = 0; k <= maxY; k++) { const e = table[k] - (y <= k ? 1 : 0); rps += e * e; }
    into.rps[c] += rps;
    // The tabulated probability is exact to ~1e-14 relative; recompute in log space only where it underflows.
    const lp = py > 1e-290 ? Math.log(py) : logPmf(f, i, y);
    into.logScore[c] += -Math.max(lp, Math.log(LOG_SCORE_FLOOR));
    into.n[c]++;
    for (let l = 0; l < L; l++) {
      const lv = into.levels[l];
      const lo = tableQuantile(table, maxY, (1 - lv) / 2), hi = tableQuantile(table, maxY, (1 + lv) / 2);
      if (y >= lo && y <= hi) into.covered[l * C + c]++;
      into.width[l * C + c] += hi - lo;
    }
    const below = y > 0 ? table[y - 1] : 0;
    const u = Math.min(1, Math.max(0, below + rng.random() * py));
    into.pitHist[c * B + Math.min(B - 1, Math.floor(u * B))]++;
    if (pitOut) pitOut[j] = u;
  }
  return into;
}

export interface ScoreReport {
  /** Per category. */
  logScore: Float64Array;
  rps: Float64Array;
  /** [level][category] flattened (l * C + c): share covered and mean width. */
  coverage: Float64Array;
  width: Float64Array;
  /** Pooled over categories. */
  overall: { logScore: number; rps: number; coverage: Float64Array; pit: PitTest };
  /** PIT uniformity per category. */
  pit: PitTest[];
}

export interface PitTest {
  counts: Float64Array;
  chi2: number;
  df: number;
  pValue: number;
}

/** Chi-square test of equal counts across histogram bins (df = bins − 1). */
export function uniformityTest(counts: ArrayLike<number>): PitTest {
  const B = counts.length;
  let n = 0;
  for (let b = 0; b < B; b++) n += counts[b];
  const e = n / B;
  let chi2 = 0;
  for (let b = 0; b < B; b++) chi2 += ((counts[b] - e) * (counts[b] - e)) / e;
  return { counts: Float64Array.from(counts), chi2, df: B - 1, pValue: n > 0 ? chiSquareSurvival(chi2, B - 1) : NaN };
}

/** PIT histogram of values in [0, 1] (equal-width bins) and its uniformity test. */
export function pitUniformity(pit: ArrayLike<number>, bins = 10): PitTest {
  const counts = new Float64Array(bins);
  for (let k = 0; k < pit.length; k++) counts[Math.min(bins - 1, Math.floor(pit[k] * bins))]++;
  return uniformityTest(counts);
}

export function scoresFromSums(s: ScoreSums): ScoreReport {
  const C = s.categories, L = s.levels.length, B = s.bins;
  const div = (a: number, b: number) => (b > 0 ? a / b : NaN);
  const logScore = new Float64Array(C), rps = new Float64Array(C);
  const coverage = new Float64Array(L * C), width = new Float64Array(L * C);
  const pit: PitTest[] = [];
  let nAll = 0, lsAll = 0, rpsAll = 0;
  const covAll = new Float64Array(L), histAll = new Float64Array(B);
  for (let c = 0; c < C; c++) {
    logScore[c] = div(s.logScore[c], s.n[c]);
    rps[c] = div(s.rps[c], s.n[c]);
    nAll += s.n[c]; lsAll += s.logScore[c]; rpsAll += s.rps[c];
    for (let l = 0; l < L; l++) {
      coverage[l * C + c] = div(s.covered[l * C + c], s.n[c]);
      width[l * C + c] = div(s.width[l * C + c], s.n[c]);
      covAll[l] += s.covered[l * C + c];
    }
    const h = s.pitHist.subarray(c * B, (c + 1) * B);
    pit.push(uniformityTest(h));
    for (let b = 0; b < B; b++) histAll[b] += h[b];
  }
  for (let l = 0; l < L; l++) covAll[l] = div(covAll[l], nAll);
  return {
    logScore, rps, coverage, width, pit,
    overall: { logScore: div(lsAll, nAll), rps: div(rpsAll, nAll), coverage: covAll, pit: uniformityTest(histAll) },
  };
}

/** Whole-array convenience: scores of every cell of `f` (observed laid out like f.mean). */
export function probabilisticScores(f: Forecast, observed: ArrayLike<number>, rng: Rng, levels: ArrayLike<number> = DEFAULT_LEVELS, bins = 10): ScoreReport {
  return scoresFromSums(scoreSumsPeriod(f, observed, rng, 0, emptyScoreSums(f.categories, levels, bins)));
}

/** Randomised PIT values of every cell (observed laid out like f.mean). */
export function randomizedPit(f: Forecast, observed: ArrayLike<number>, rng: Rng, cellStart = 0): Float64Array {
  const out = new Float64Array(observed.length);
  scoreSumsPeriod(f, observed, rng, cellStart, emptyScoreSums(f.categories), out);
  return out;
}
