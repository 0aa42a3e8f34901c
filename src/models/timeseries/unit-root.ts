/**
 * Differencing-order tests for automatic ARIMA (Hyndman & Khandakar 2008): KPSS for the non-seasonal order d
 * and STL seasonal strength for the seasonal order D (the `forecast` package's default "seas" test).
 */
import { applyLagPolynomial, differencingPolynomial } from './arima-polynomial.js';
import { componentStrength, stl } from './stl.js';

/** KPSS level-stationarity statistic with Bartlett long-run variance, lag trunc(4(n/100)^¼) (Kwiatkowski et al. 1992). */
export function kpssStatistic(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) e[i] = x[i] - mean;
  let s = 0, eta = 0, g0 = 0;
  for (let i = 0; i < n; i++) { s += e[i]; eta += s * s; g0 += e[i] * e[i]; }
  const lags = Math.trunc(4 * Math.pow(n / 100, 0.25));
  let lrv = g0 / n;
  for (let j = 1; j <= lags; j++) {
    let g = 0;
    for (let i = j; i < n; i++) g += e[i] * e[i - j];
    lrv += (2 * (1 - j / (lags + 1)) * g) / n;
  }
  return lrv > 0 ? eta / (n * n) / lrv : 0;
}

/** 5% critical value of the KPSS level test. */
export const KPSS_CRITICAL_5 = 0.463;

/** Number of first differences (0..maxD) needed for KPSS to stop rejecting level stationarity at 5%. */
export function ndiffs(x: ArrayLike<number>, maxD = 2): number {
  let cur: Float64Array = Float64Array.from(x);
  for (let d = 0; d < maxD; d++) {
    if (cur.length < 10 || isConstant(cur) || kpssStatistic(cur) < KPSS_CRITICAL_5) return d;
    cur = applyLagPolynomial(cur, differencingPolynomial(1, 0, 1));
  }
  return maxD;
}

/** Seasonal differences (0 or 1): 1 when the STL seasonal strength exceeds 0.64 (Wang, Smith & Hyndman). */
export function nsdiffs(x: ArrayLike<number>, period: number): number {
  if (period < 2 || x.length < 2 * period + 2 || isConstant(x)) return 0;
  const r = stl(x, period);
  return componentStrength(r.seasonal, r.remainder) > 0.64 ? 1 : 0;
}

function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}
