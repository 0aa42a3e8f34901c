/**
 * Lag polynomials for (seasonal) ARIMA: multiplying the non-seasonal and seasonal parts, differencing,
 * and the reparameterisation that keeps AR parts stationary and MA parts invertible during optimisation.
 */

/**
 * Unconstrained reals → coefficients of a stationary AR polynomial 1 − φ₁z − … − φ_pz^p.
 * Each real maps through tanh to a partial autocorrelation in (−1, 1), then the Durbin–Levinson recursion
 * builds the coefficients (Monahan 1984; Jones 1980): every point of R^p is a stationary model.
 */
export function pacfToAr(x: ArrayLike<number>): Float64Array {
  const p = x.length, phi = new Float64Array(p), tmp = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const r = Math.tanh(x[k]);
    phi[k] = r;
    for (let j = 0; j < k; j++) tmp[j] = phi[j] - r * phi[k - 1 - j];
    for (let j = 0; j < k; j++) phi[j] = tmp[j];
  }
  return phi;
}

/** Inverse of pacfToAr (for starting values); a non-stationary input is shrunk until it is stationary. */
export function arToPacf(phi: ArrayLike<number>): Float64Array {
  const p = phi.length;
  for (let shrink = 1; shrink > 1e-3; shrink *= 0.9) {
    let a = Array.from(phi, (v, i) => v * Math.pow(shrink, i + 1));
    const out = new Float64Array(p);
    let ok = true;
    for (let k = p - 1; k >= 0; k--) {
      const r = a[k];
      if (!(Math.abs(r) < 0.999)) { ok = false; break; }
      out[k] = Math.atanh(r);
      const prev = new Array<number>(k);
      for (let j = 0; j < k; j++) prev[j] = (a[j] + r * a[k - 1 - j]) / (1 - r * r);
      a = prev;
    }
    if (ok) return out;
  }
  return new Float64Array(p);
}

/**
 * Full AR coefficients φ*(z) = φ(z)Φ(z^s) written as 1 − Σ φ*_i z^i; returns φ*_1..φ*_{p+sP}.
 * MA uses the same routine with sign +: θ*(z) = θ(z)Θ(z^s) = 1 + Σ θ*_i z^i.
 */
export function expandSeasonal(nonSeasonal: ArrayLike<number>, seasonal: ArrayLike<number>, s: number, sign: 1 | -1): Float64Array {
  const p = nonSeasonal.length, P = seasonal.length;
  const a = new Float64Array(p + 1), b = new Float64Array(P * s + 1);
  a[0] = 1; b[0] = 1;
  for (let i = 0; i < p; i++) a[i + 1] = sign * nonSeasonal[i];
  for (let i = 0; i < P; i++) b[(i + 1) * s] = sign * seasonal[i];
  const prod = polyMul(a, b);
  const out = new Float64Array(prod.length - 1);
  for (let i = 1; i < prod.length; i++) out[i - 1] = sign * prod[i];
  return out;
}

export function polyMul(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  return out;
}

/** The differencing polynomial (1 − z)^d (1 − z^s)^D as coefficients of z^0..z^{d+sD}. */
export function differencingPolynomial(d: number, D: number, s: number): Float64Array {
  let poly: Float64Array = Float64Array.of(1);
  for (let i = 0; i < d; i++) poly = polyMul(poly, [1, -1]);
  if (D > 0) {
    const seas = new Float64Array(s + 1);
    seas[0] = 1; seas[s] = -1;
    for (let i = 0; i < D; i++) poly = polyMul(poly, seas);
  }
  return poly;
}

/** Apply a polynomial in the lag operator: out[t] = Σ c_i x[t+k−i] for t over the last n−k points (k = degree). */
export function applyLagPolynomial(x: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const k = c.length - 1, n = x.length;
  if (n <= k) return new Float64Array(0);
  const out = new Float64Array(n - k);
  for (let t = k; t < n; t++) {
    let v = 0;
    for (let i = 0; i <= k; i++) v += c[i] * x[t - i];
    out[t - k] = v;
  }
  return out;
}

/** ψ-weights ψ_0 = 1, ψ_1, … of θ(z)/φ(z) with φ(z) = 1 − Σ ar_i z^i, θ(z) = 1 + Σ ma_i z^i. */
export function psiWeights(ar: ArrayLike<number>, ma: ArrayLike<number>, n: number): Float64Array {
  const psi = new Float64Array(n);
  if (n > 0) psi[0] = 1;
  for (let j = 1; j < n; j++) {
    let v = j <= ma.length ? ma[j - 1] : 0;
    for (let i = 1; i <= Math.min(j, ar.length); i++) v += ar[i - 1] * psi[j - i];
    psi[j] = v;
  }
  return psi;
}
