/**
 * STL: seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning 1990) and MSTL,
 * its multi-seasonal iteration (Bandara, Hyndman & Bergmeir 2021) for daily crime with weekly and yearly cycles.
 *
 * Inner loop: detrend → smooth each cycle-subseries (extended one period at both ends) → low-pass filter
 * (MA_np, MA_np, MA_3, loess) removes what leaked into the seasonal → deseasonalise → loess trend.
 * Outer loop: bisquare robustness weights from the remainder, so one riot day does not bend the trend.
 */
import { loess, loessAt, movingAverage, nextOdd } from './loess.js';

export interface StlOptions {
  /** Seasonal smoothing span in cycles (odd, ≥ 7); 'periodic' forces an identical pattern every cycle. */
  seasonalWindow?: number | 'periodic';
  /** Trend smoothing span in observations (odd); default nextOdd(1.5·period / (1 − 1.5/seasonalWindow)). */
  trendWindow?: number;
  /** Low-pass span (odd); default nextOdd(period). */
  lowPassWindow?: number;
  seasonalDegree?: 0 | 1;
  trendDegree?: 0 | 1;
  /** Robust fitting (outer loop with bisquare weights); default false. */
  robust?: boolean;
  inner?: number;
  outer?: number;
}

export interface StlResult {
  period: number;
  seasonal: Float64Array;
  trend: Float64Array;
  remainder: Float64Array;
  /** Robustness weights (all 1 when not robust). */
  weights: Float64Array;
}

export function stl(series: ArrayLike<number>, period: number, opts: StlOptions = {}): StlResult {
  const y = Float64Array.from(series), n = y.length, np = Math.round(period);
  if (!(np >= 2)) throw new RangeError(`STL period must be at least 2 (got ${period})`);
  if (n < 2 * np) throw new RangeError(`STL needs at least two full cycles (${2 * np} observations, got ${n})`);
  const periodic = opts.seasonalWindow === 'periodic';
  // 'periodic' is a very wide seasonal loess of degree 0: every cycle gets the subseries mean
  const ns = periodic ? 10 * n + 1 : Math.max(7, nextOdd(opts.seasonalWindow as number ?? 7));
  const sDeg: 0 | 1 = periodic ? 0 : opts.seasonalDegree ?? 1;
  const nt = opts.trendWindow ? nextOdd(opts.trendWindow) : nextOdd((1.5 * np) / (1 - 1.5 / ns));
  const nl = opts.lowPassWindow ? nextOdd(opts.lowPassWindow) : nextOdd(np);
  const tDeg: 0 | 1 = opts.trendDegree ?? 1;
  const robust = !!opts.robust;
  const ni = opts.inner ?? (robust ? 1 : 2), no = opts.outer ?? (robust ? 15 : 0);

  const trend = new Float64Array(n), seasonal = new Float64Array(n), rho = new Float64Array(n).fill(1);
  const detr = new Float64Array(n), C = new Float64Array(n + 2 * np), adj = new Float64Array(n);
  const sub = new Float64Array(Math.ceil(n / np) + 1), subRho = new Float64Array(sub.length);
  for (let outer = 0; outer <= no; outer++) {
    for (let inner = 0; inner < ni; inner++) {
      for (let i = 0; i < n; i++) detr[i] = y[i] - trend[i];
      // cycle-subseries smoothing, each extended by one cycle before and after
      for (let j = 0; j < np; j++) {
        let m = 0;
        for (let i = j; i < n; i += np, m++) { sub[m] = detr[i]; subRho[m] = rho[i]; }
        for (let k = -1; k <= m; k++) {
          let v = loessAt(sub, m, k, ns, sDeg, subRho);
          if (Number.isNaN(v)) v = k >= 0 && k < m ? sub[k] : 0;
          C[(k + 1) * np + j] = v;
        }
      }
      // low-pass: C has n + 2np points; MA_np twice and MA_3 leave n points
      const lp = loess(movingAverage(movingAverage(movingAverage(C.subarray(0, n + 2 * np), np), np), 3), nl, tDeg);
      for (let i = 0; i < n; i++) { seasonal[i] = C[np + i] - lp[i]; adj[i] = y[i] - seasonal[i]; }
      loess(adj, nt, tDeg, rho, trend);
      for (let i = 0; i < n; i++) if (Number.isNaN(trend[i])) trend[i] = adj[i];
    }
    if (outer < no) robustnessWeights(y, seasonal, trend, rho);
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = y[i] - seasonal[i] - trend[i];
  return { period: np, seasonal, trend, remainder, weights: rho };
}

/** Bisquare weights B(|R|/(6·median|R|)) of the remainder. */
function robustnessWeights(y: Float64Array, s: Float64Array, t: Float64Array, rho: Float64Array): void {
  const n = y.length, abs = new Float64Array(n);
  for (let i = 0; i < n; i++) abs[i] = Math.abs(y[i] - s[i] - t[i]);
  const sorted = Float64Array.from(abs).sort();
  const med = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const h = 6 * med;
  for (let i = 0; i < n; i++) {
    if (!(h > 0)) { rho[i] = 1; continue; }
    const u = abs[i] / h;
    rho[i] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
  }
}

export interface MstlResult {
  periods: number[];
  /** One seasonal component per period (same order as `periods`). */
  seasonals: Float64Array[];
  trend: Float64Array;
  remainder: Float64Array;
}

/**
 * MSTL: STL applied to each period in increasing order, each time to the series with the other seasonal
 * components removed, repeated `iterations` times. Periods without three full cycles in the data are dropped.
 */
export function mstl(series: ArrayLike<number>, periods: number[], opts: { iterations?: number; seasonalWindows?: number[]; robust?: boolean } = {}): MstlResult {
  const y = Float64Array.from(series), n = y.length;
  // with only two cycles each cycle-subseries has two points and the seasonal loess interpolates them:
  // the "seasonal" would swallow trend and noise alike, so a period needs three full cycles here
  const ps = [...periods].map(Math.round).filter((p) => p >= 2 && 3 * p <= n).sort((a, b) => a - b);
  const seasonals: Float64Array[] = ps.map(() => new Float64Array(n));
  const deseason = Float64Array.from(y);
  let trend: Float64Array = new Float64Array(n);
  if (ps.length === 0) {
    // no usable season: the trend is a loess of the series
    trend = loess(y, nextOdd(Math.max(7, n / 10)), 1);
  }
  const iterations = ps.length > 1 ? opts.iterations ?? 2 : 1;
  for (let it = 0; it < iterations; it++) {
    for (let k = 0; k < ps.length; k++) {
      for (let i = 0; i < n; i++) deseason[i] += seasonals[k][i];
      // R's mstl default: seasonal windows 11, 15, 19, … for successive periods
      const fit = stl(deseason, ps[k], { seasonalWindow: opts.seasonalWindows?.[k] ?? 7 + 4 * (k + 1), robust: opts.robust });
      seasonals[k] = fit.seasonal;
      for (let i = 0; i < n; i++) deseason[i] -= fit.seasonal[i];
      trend = fit.trend;
    }
  }
  const remainder = new Float64Array(n);
  for (let i = 0; i < n; i++) remainder[i] = deseason[i] - trend[i];
  return { periods: ps, seasonals, trend, remainder };
}

function variance(x: ArrayLike<number>): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - m) ** 2;
  return v / Math.max(1, n - 1);
}

/** Strength of a component (Wang, Smith & Hyndman 2006): max(0, 1 − Var(R)/Var(component + R)), in [0, 1]. */
export function componentStrength(component: ArrayLike<number>, remainder: ArrayLike<number>): number {
  const n = remainder.length, sum = new Float64Array(n);
  for (let i = 0; i < n; i++) sum[i] = component[i] + remainder[i];
  const vs = variance(sum);
  return vs > 0 ? Math.max(0, 1 - variance(remainder) / vs) : 0;
}
