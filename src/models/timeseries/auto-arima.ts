/**
 * Automatic ARIMA order selection by the Hyndman–Khandakar (2008) stepwise search: differencing from
 * KPSS / seasonal strength, then a hill-climb on AICc from four starting models over neighbours that change
 * p, q, P or Q by one (or toggle the constant), never refitting a model already tried.
 * Every forecast is guarded: a fit whose forecasts are not finite or explode is replaced by a simpler order,
 * and the result says so.
 */
import { fitArima, forecastArima, orderLabel, type ArimaForecast, type ArimaModel, type ArimaOptions, type ArimaOrder } from './arima.js';
import { ndiffs, nsdiffs } from './unit-root.js';

export interface AutoArimaOptions {
  /** Seasonal period (1 = non-seasonal). */
  period?: number;
  maxP?: number; maxQ?: number; maxSP?: number; maxSQ?: number;
  /** Fix the differencing orders instead of testing. */
  d?: number; D?: number;
  xreg?: Float64Array;
  xregNames?: string[];
  /** Stop after this many model fits. */
  maxModels?: number;
  /** Criterion; default AICc. */
  ic?: 'aicc' | 'aic' | 'bic';
}

export interface AutoArimaResult {
  model: ArimaModel;
  label: string;
  /** Models fitted during the search with their criterion, in order. */
  tried: { label: string; ic: number }[];
}

interface Candidate { p: number; q: number; P: number; Q: number; constant: boolean }

export function autoArima(series: ArrayLike<number>, opts: AutoArimaOptions = {}): AutoArimaResult {
  const y = Float64Array.from(series), n = y.length;
  const s = opts.period && opts.period > 1 && n >= 3 * opts.period ? opts.period : 1;
  const D = s > 1 ? opts.D ?? nsdiffs(y, s) : 0;
  let base = y;
  if (D > 0) { base = new Float64Array(n - s); for (let t = s; t < n; t++) base[t - s] = y[t] - y[t - s]; }
  const d = opts.d ?? ndiffs(base);
  // seasonal orders up to 1 by default: each seasonal lag widens the Kalman state by s
  const maxP = opts.maxP ?? 5, maxQ = opts.maxQ ?? 5, maxSP = s > 1 ? opts.maxSP ?? 1 : 0, maxSQ = s > 1 ? opts.maxSQ ?? 1 : 0;
  const icName = opts.ic ?? 'aicc';
  const tried: { label: string; ic: number }[] = [];
  const seen = new Map<string, ArimaModel | null>();
  let best: ArimaModel | null = null, bestIc = Infinity, bestCand: Candidate | null = null;
  const maxModels = opts.maxModels ?? 60;
  // with d + D ≥ 2 a constant would be a quadratic trend: never allowed (as in forecast::auto.arima)
  const allowConstant = d + D <= 1;
  const tryFit = (c: Candidate): boolean => {
    if (c.p < 0 || c.q < 0 || c.P < 0 || c.Q < 0 || c.p > maxP || c.q > maxQ || c.P > maxSP || c.Q > maxSQ) return false;
    if (c.constant && !allowConstant) c = { ...c, constant: false };
    const key = `${c.p},${c.q},${c.P},${c.Q},${c.constant}`;
    if (seen.has(key) || seen.size >= maxModels) return false;
    const order: ArimaOrder = { p: c.p, d, q: c.q, P: c.P, D, Q: c.Q, s };
    const fo: ArimaOptions = { mean: c.constant, drift: c.constant, xreg: opts.xreg, xregNames: opts.xregNames, quick: true };
    let m: ArimaModel | null = null;
    try { m = fitArima(y, order, fo); } catch { m = null; }
    seen.set(key, m);
    if (!m) return false;
    const ic = m[icName];
    tried.push({ label: orderLabel(order) + (c.constant ? (d + D === 0 ? ' with mean' : ' with drift') : ''), ic });
    if (ic < bestIc - 1e-9 && Number.isFinite(ic)) { best = m; bestIc = ic; bestCand = c; return true; }
    return false;
  };
  const sp = s > 1 ? 1 : 0;
  const constant = allowConstant;
  for (const c of [
    { p: Math.min(2, maxP), q: Math.min(2, maxQ), P: sp, Q: sp, constant },
    { p: 0, q: 0, P: 0, Q: 0, constant },
    { p: Math.min(1, maxP), q: 0, P: sp, Q: 0, constant },
    { p: 0, q: Math.min(1, maxQ), P: 0, Q: sp, constant },
    { p: 0, q: 0, P: 0, Q: 0, constant: false },
  ]) tryFit(c);
  // hill-climb over neighbours until no neighbour improves the criterion
  for (let improved = true; improved && bestCand;) {
    improved = false;
    const b: Candidate = bestCand;
    const moves: Candidate[] = [];
    for (const [dp, dq] of [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, 1], [-1, 1], [1, -1]]) moves.push({ ...b, p: b.p + dp, q: b.q + dq });
    if (s > 1) for (const [dP, dQ] of [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, 1]]) moves.push({ ...b, P: b.P + dP, Q: b.Q + dQ });
    if (allowConstant) moves.push({ ...b, constant: !b.constant });
    for (const c of moves) if (tryFit(c)) { improved = true; break; }
  }
  if (!best) throw new RangeError('auto-ARIMA: no model could be fitted');
  // candidates were ranked with a loose optimisation; refit the winner properly
  const b = bestCand as unknown as Candidate, w = best as ArimaModel;
  let m = w;
  try {
    const full = fitArima(y, w.order, { mean: b.constant, drift: b.constant, xreg: opts.xreg, xregNames: opts.xregNames });
    if (full[icName] <= w[icName] + 1e-6) m = full;
  } catch { /* keep the search fit */ }
  return { model: m, label: orderLabel(m.order), tried };
}

export interface GuardedForecast extends ArimaForecast {
  model: ArimaModel;
  label: string;
  /** Why the requested model was replaced, when it was. */
  fallback?: string;
}

/** True when forecasts are finite and stay within a generous envelope of the data (no explosion). */
export function saneForecast(y: ArrayLike<number>, f: ArimaForecast): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < y.length; i++) { if (y[i] < lo) lo = y[i]; if (y[i] > hi) hi = y[i]; }
  const range = Math.max(hi - lo, 1e-9 + Math.abs(hi));
  const h = f.mean.length;
  // allow the envelope to widen linearly with the horizon (drift models are meant to leave the range)
  const slack = range * (3 + h / 10);
  for (let j = 0; j < h; j++) {
    if (!Number.isFinite(f.mean[j]) || !Number.isFinite(f.se[j])) return false;
    if (f.mean[j] < lo - slack || f.mean[j] > hi + slack || f.se[j] > 10 * range * Math.sqrt(j + 1)) return false;
  }
  return true;
}

/**
 * Fit (or take) a model and forecast, falling back along ARIMA(0,d,1) → ARIMA(0,1,1) → mean when the fit
 * fails or its forecasts are not sane.
 */
export function guardedArimaForecast(y: ArrayLike<number>, h: number, fit: () => ArimaModel, xregFuture?: Float64Array): GuardedForecast {
  const reasons: string[] = [];
  const attempt = (label: string, make: () => ArimaModel, xf?: Float64Array): GuardedForecast | null => {
    try {
      const m = make();
      const f = forecastArima(m, h, xf);
      if (saneForecast(y, f)) return { ...f, model: m, label: orderLabel(m.order), fallback: reasons.length ? reasons.join('; ') : undefined };
      reasons.push(`${label} gave non-finite or exploding forecasts`);
    } catch (e) {
      reasons.push(`${label} failed (${(e as Error).message})`);
    }
    return null;
  };
  const first = attempt('requested model', fit, xregFuture);
  if (first) return first;
  const chain: [string, ArimaOrder, ArimaOptions][] = [
    ['ARIMA(0,1,1)', { p: 0, d: 1, q: 1 }, {}],
    ['mean', { p: 0, d: 0, q: 0 }, { mean: true }],
  ];
  for (const [label, order, o] of chain) {
    const r = attempt(label, () => fitArima(y, order, o));
    if (r) return r;
  }
  // last resort cannot fail: the sample mean with the sample variance
  const arr = Float64Array.from(y);
  let mu = 0;
  for (const v of arr) mu += v / arr.length;
  let v2 = 0;
  for (const v of arr) v2 += (v - mu) ** 2 / Math.max(1, arr.length - 1);
  const m = fitArima(arr.length >= 3 ? arr : Float64Array.of(mu, mu, mu), { p: 0, d: 0, q: 0 }, { mean: true });
  return { mean: new Float64Array(h).fill(mu), se: new Float64Array(h).fill(Math.sqrt(v2)), model: m, label: 'mean', fallback: reasons.join('; ') };
}
