/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998 adaptive coefficients for higher dimensions).
 * Derivative-free because the ARIMA / ETS / INGARCH likelihoods are cheap to evaluate but awkward to
 * differentiate through the Kalman filter and the parameter transforms.
 */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.1, or 10% of |x0| when larger). */
  step?: number | ArrayLike<number>;
  maxEvals?: number;
  /** Stop when the spread of function values in the simplex falls below this. */
  fTol?: number;
  xTol?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  evals: number;
  converged: boolean;
}

export function nelderMead(fn: (x: Float64Array) => number, x0: ArrayLike<number>, opts: NelderMeadOptions = {}): NelderMeadResult {
  const n = x0.length;
  const maxEvals = opts.maxEvals ?? 200 * Math.max(1, n);
  const fTol = opts.fTol ?? 1e-8, xTol = opts.xTol ?? 1e-7;
  // adaptive parameters keep the simplex from collapsing when n is large
  const alpha = 1, beta = 1 + 2 / Math.max(n, 2), gamma = 0.75 - 1 / (2 * Math.max(n, 2)), delta = 1 - 1 / Math.max(n, 2);
  let evals = 0;
  const f = (x: Float64Array) => { evals++; const v = fn(x); return Number.isFinite(v) ? v : Infinity; };
  if (n === 0) { const x = new Float64Array(0); return { x, f: f(x), evals, converged: true }; }
  const pts: Float64Array[] = [], fv = new Float64Array(n + 1);
  pts.push(Float64Array.from(x0));
  fv[0] = f(pts[0]);
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    const s = typeof opts.step === 'number' ? opts.step : opts.step ? opts.step[i] : Math.max(0.1, 0.1 * Math.abs(x0[i]));
    p[i] += s;
    pts.push(p);
    fv[i + 1] = f(p);
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const cen = new Float64Array(n), xr = new Float64Array(n), xe = new Float64Array(n), xc = new Float64Array(n);
  let converged = false;
  while (evals < maxEvals) {
    order.sort((a, b) => fv[a] - fv[b]);
    const best = order[0], worst = order[n], second = order[n - 1];
    let spread = 0;
    for (let i = 1; i <= n; i++) {
      const p = pts[order[i]];
      for (let j = 0; j < n; j++) spread = Math.max(spread, Math.abs(p[j] - pts[best][j]));
    }
    if ((Math.abs(fv[worst] - fv[best]) <= fTol * (1 + Math.abs(fv[best])) && spread <= 1e3 * xTol) || spread <= xTol) { converged = true; break; }
    cen.fill(0);
    for (let i = 0; i < n; i++) { const p = pts[order[i]]; for (let j = 0; j < n; j++) cen[j] += p[j] / n; }
    const pw = pts[worst];
    for (let j = 0; j < n; j++) xr[j] = cen[j] + alpha * (cen[j] - pw[j]);
    const fr = f(xr);
    if (fr < fv[best]) {
      for (let j = 0; j < n; j++) xe[j] = cen[j] + beta * (xr[j] - cen[j]);
      const fe = f(xe);
      if (fe < fr) { pw.set(xe); fv[worst] = fe; } else { pw.set(xr); fv[worst] = fr; }
      continue;
    }
    if (fr < fv[second]) { pw.set(xr); fv[worst] = fr; continue; }
    const outside = fr < fv[worst];
    for (let j = 0; j < n; j++) xc[j] = outside ? cen[j] + gamma * (xr[j] - cen[j]) : cen[j] - gamma * (cen[j] - pw[j]);
    const fc = f(xc);
    if (fc < (outside ? fr : fv[worst])) { pw.set(xc); fv[worst] = fc; continue; }
    // shrink towards the best point
    const pb = pts[best];
    for (let i = 1; i <= n; i++) {
      const p = pts[order[i]];
      for (let j = 0; j < n; j++) p[j] = pb[j] + delta * (p[j] - pb[j]);
      fv[order[i]] = f(p);
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (fv[i] < fv[bi]) bi = i;
  return { x: Float64Array.from(pts[bi]), f: fv[bi], evals, converged };
}

/**
 * Restarted Nelder–Mead: a fresh simplex around the previous optimum escapes the premature
 * convergence the plain method is known for (McKinnon 1998).
 */
export function minimize(fn: (x: Float64Array) => number, x0: ArrayLike<number>, opts: NelderMeadOptions & { restarts?: number } = {}): NelderMeadResult {
  let r = nelderMead(fn, x0, opts);
  let evals = r.evals;
  for (let k = 0; k < (opts.restarts ?? 2); k++) {
    const r2 = nelderMead(fn, r.x, { ...opts, step: opts.step ?? 0.05 });
    evals += r2.evals;
    const improved = r2.f < r.f - 1e-9 * (1 + Math.abs(r.f));
    if (r2.f <= r.f) r = r2;
    if (!improved) break;
  }
  return { ...r, evals };
}
