/**
 * Hot-spot metrics at a coverage level c (share of total AREA flagged).
 *
 * Flagging rule: regions are taken in decreasing risk density — forecast risk per unit area, which is the risk
 * itself for equal areas and the order that maximises the expected crimes captured by an area budget otherwise —
 * (ties: lower region index first); the flagged set is the
 * longest prefix of that order whose area does not exceed c·A (relative tolerance 1e-9), but at least one region.
 * With equal areas this flags max(1, ⌊c·R⌋) regions. The prefix stops at the first region that would exceed the
 * budget (smaller regions further down are not skipped ahead to), so the set depends only on the risk ranking.
 *
 * For a flagged set with area a capturing n of N crimes:
 * - hit rate = n / N
 * - PAI  = (n / N) / (a / A)                              (Chainey, Tompson & Uhlig 2008)
 * - PEI  = n / n*, n* = the most crimes an area of a could hold (Hunt 2016). For unequal areas n* is the
 *          fractional-knapsack optimum: regions by crime density (count / area), the last one taken fractionally.
 *          It is the exact optimum for equal areas (top-k counts) and an upper bound otherwise, so PEI ≤ 1.
 * - RRI  = (n / N) / (r / R), r / R the flagged set's share of the forecast risk: Levine's (2008) recapture rate
 *          index with the risk scores playing the role of the predicted counts (meaningful when risk = expected counts).
 */

/** Region indices in decreasing risk, ties by lower index (deterministic). NaN risk sorts last. */
export function riskOrder(risk: ArrayLike<number>): Uint32Array {
  const R = risk.length, key = new Float64Array(R), order = new Uint32Array(R);
  for (let i = 0; i < R; i++) { order[i] = i; key[i] = Number.isNaN(risk[i]) ? -Infinity : risk[i]; }
  // key[b] − key[a] is NaN only for two −Infinity keys: `|| a − b` then orders them by index.
  order.sort((a, b) => key[b] - key[a] || a - b);
  return order;
}

function totalArea(area: ArrayLike<number> | undefined, regions: number): number {
  if (!area) return regions;
  let s = 0;
  for (let i = 0; i < regions; i++) s += area[i];
  return s;
}

/** The flagging order: regions by decreasing risk per unit area (by risk when areas are equal or absent). */
export function flagOrder(risk: ArrayLike<number>, area?: ArrayLike<number>): Uint32Array {
  if (!area) return riskOrder(risk);
  return riskOrder(Float64Array.from({ length: risk.length }, (_, i) => risk[i] / (area[i] || 1)));
}

/** Number of regions flagged at `coverage` following `order` (see the flagging rule above). */
export function flaggedCount(order: Uint32Array, coverage: number, area?: ArrayLike<number>): number {
  const R = order.length;
  if (R === 0) return 0;
  if (!area) return Math.min(R, Math.max(1, Math.floor(coverage * R + 1e-9)));
  const budget = coverage * totalArea(area, R) * (1 + 1e-9);
  let a = 0, k = 0;
  while (k < R && a + area[order[k]] <= budget) a += area[order[k++]];
  return Math.max(1, k);
}

/** Regions by decreasing crime density (count / area; count for equal areas). */
export function densityOrder(observed: ArrayLike<number>, area?: ArrayLike<number>): Uint32Array {
  const density = new Float64Array(observed.length);
  for (let i = 0; i < density.length; i++) density[i] = area ? observed[i] / area[i] : observed[i];
  return riskOrder(density);
}

/**
 * Most crimes any set of area ≤ budget could capture (fractional knapsack by density; exact for equal areas).
 */
export function maxCapturable(
  observed: ArrayLike<number>, budget: number, area?: ArrayLike<number>, order = densityOrder(observed, area),
): number {
  const R = observed.length;
  let left = budget, n = 0;
  for (let k = 0; k < R && left > 1e-12; k++) {
    const i = order[k], ai = area ? area[i] : 1;
    const take = Math.min(1, left / ai);
    n += take * observed[i];
    left -= take * ai;
  }
  return n;
}

/**
 * Additive hot-spot sums, one entry per coverage level (length K = coverages.length), summed over periods:
 * captured n, total N, areaShare a/A, nStar n*, riskFlagged r, riskTotal R, periods (count of periods added).
 */
export interface HotspotSums {
  coverages: Float64Array;
  captured: Float64Array;
  total: Float64Array;
  areaShare: Float64Array;
  nStar: Float64Array;
  riskFlagged: Float64Array;
  riskTotal: Float64Array;
  periods: number;
}

export function emptyHotspotSums(coverages: ArrayLike<number>): HotspotSums {
  const K = coverages.length, z = () => new Float64Array(K);
  return {
    coverages: Float64Array.from(coverages), captured: z(), total: z(), areaShare: z(), nStar: z(),
    riskFlagged: z(), riskTotal: z(), periods: 0,
  };
}

/**
 * Per-period form: one period's risk scores and observed counts per region (length R; sum or pick categories
 * beforehand with `categoryColumn` / `sumCategories`), added into `into` for every coverage level.
 */
export function hotspotPeriod(
  risk: ArrayLike<number>, observed: ArrayLike<number>, coverages: ArrayLike<number>,
  area?: ArrayLike<number>, into = emptyHotspotSums(coverages),
): HotspotSums {
  const R = risk.length;
  if (observed.length !== R || (area && area.length !== R)) throw new RangeError('hotspotPeriod: risk, observed and area lengths differ');
  const order = flagOrder(risk, area), dens = densityOrder(observed, area), A = totalArea(area, R);
  let N = 0, riskTot = 0;
  for (let i = 0; i < R; i++) { N += observed[i]; if (risk[i] > 0) riskTot += risk[i]; }
  for (let j = 0; j < coverages.length; j++) {
    const k = flaggedCount(order, coverages[j], area);
    let n = 0, a = 0, r = 0;
    for (let m = 0; m < k; m++) {
      const i = order[m];
      n += observed[i]; a += area ? area[i] : 1; if (risk[i] > 0) r += risk[i];
    }
    into.captured[j] += n; into.total[j] += N; into.areaShare[j] += a / A;
    into.nStar[j] += maxCapturable(observed, a, area, dens);
    into.riskFlagged[j] += r; into.riskTotal[j] += riskTot;
  }
  into.periods++;
  return into;
}

export function addHotspotSums(into: HotspotSums, from: HotspotSums): HotspotSums {
  for (let j = 0; j < into.coverages.length; j++) {
    into.captured[j] += from.captured[j]; into.total[j] += from.total[j]; into.areaShare[j] += from.areaShare[j];
    into.nStar[j] += from.nStar[j]; into.riskFlagged[j] += from.riskFlagged[j]; into.riskTotal[j] += from.riskTotal[j];
  }
  into.periods += from.periods;
  return into;
}

/**
 * Metrics per coverage level, pooled over the periods added: hit rate Σn/ΣN, PAI = hit rate / mean area share,
 * PEI = Σn/Σn*, RRI = hit rate / (Σr/ΣR). `flaggedShare` is the mean area share actually flagged.
 */
export interface HotspotMetrics {
  coverages: Float64Array;
  flaggedShare: Float64Array;
  hitRate: Float64Array;
  pai: Float64Array;
  pei: Float64Array;
  rri: Float64Array;
}

export function hotspotMetricsFromSums(s: HotspotSums): HotspotMetrics {
  const K = s.coverages.length, z = () => new Float64Array(K);
  const m: HotspotMetrics = { coverages: s.coverages, flaggedShare: z(), hitRate: z(), pai: z(), pei: z(), rri: z() };
  for (let j = 0; j < K; j++) {
    const share = s.areaShare[j] / s.periods;
    const hr = s.total[j] > 0 ? s.captured[j] / s.total[j] : NaN;
    m.flaggedShare[j] = share;
    m.hitRate[j] = hr;
    m.pai[j] = hr / share;
    m.pei[j] = s.nStar[j] > 0 ? s.captured[j] / s.nStar[j] : NaN;
    m.rri[j] = s.riskFlagged[j] > 0 ? hr / (s.riskFlagged[j] / s.riskTotal[j]) : NaN;
  }
  return m;
}

/** Whole-array convenience for one period: metrics at each coverage level (also the hit-rate-vs-coverage curve). */
export function hotspotMetrics(
  risk: ArrayLike<number>, observed: ArrayLike<number>, coverages: ArrayLike<number>, area?: ArrayLike<number>,
): HotspotMetrics {
  return hotspotMetricsFromSums(hotspotPeriod(risk, observed, coverages, area));
}

/** Values of category c from a flat region × category array (length R). */
export function categoryColumn(values: ArrayLike<number>, categories: number, c: number, out?: Float64Array): Float64Array {
  const R = values.length / categories, o = out ?? new Float64Array(R);
  for (let r = 0; r < R; r++) o[r] = values[r * categories + c];
  return o;
}

/** Sum over categories of a flat region × category array (length R). */
export function sumCategories(values: ArrayLike<number>, categories: number, out?: Float64Array): Float64Array {
  const R = values.length / categories, o = out ?? new Float64Array(R);
  o.fill(0);
  for (let r = 0; r < R; r++) for (let c = 0; c < categories; c++) o[r] += values[r * categories + c];
  return o;
}

/** Log-spaced coverage points from `lo` to 1 for curves (e.g. 0.001 → 100%). */
export function coverageGrid(lo = 0.001, points = 40): Float64Array {
  const out = new Float64Array(points), a = Math.log(lo);
  for (let k = 0; k < points; k++) out[k] = Math.exp(a + (-a * k) / (points - 1));
  return out;
}
