/**
 * Grid ETAS (Mohler et al. 2015, JASA): in each cell stream n,
 *   λ_n(t) = μ_n + Σ_{t_i < t, i ∈ n} θ ω e^{−ω (t − t_i)},
 * fitted by expectation–maximisation on the window [0, T] (days).
 *
 * E-step: event i is background with probability μ_n / λ_n(t_i) and was triggered by an earlier event j with
 * probability θω e^{−ω(t_i−t_j)} / λ_n(t_i). M-step (closed forms):
 *   μ_n = Σ_{i∈n} p_bg(i) / T
 *   θ   = Σ p_trig / Σ_j (1 − e^{−ω(T − t_j)})                      (edge term: offspring after T are unseen)
 *   ω   = Σ p_trig / (Σ p_ij (t_i − t_j) + θ Σ_j (T − t_j) e^{−ω(T − t_j)})
 * θ and ω are shared by a group of streams (one category, or all), μ is per stream.
 *
 * Why O(n) per cell: with the exponential kernel the sums A_i = Σ_{j<i} e^{−ω(t_i−t_j)} and
 * B_i = Σ_{j<i} (t_i−t_j) e^{−ω(t_i−t_j)} obey A_i = e^{−ωd}(A_{i−1} + 1), B_i = e^{−ωd}(B_{i−1} + d(A_{i−1} + 1))
 * with d = t_i − t_{i−1}, so the E-step never visits pairs. Events at the same instant (ties, common in
 * police records) are not each other's parents: the recursion advances only when time advances.
 */
export interface GridEtasData {
  /** Event times (days since window start) grouped by stream, ascending within each stream. */
  t: Float64Array;
  /** Events of stream s are t[off[s] .. off[s+1]). */
  off: Int32Array;
  nStreams: number;
  /** Window length in days. */
  T: number;
}

export interface GridEtasOptions {
  /** Group (shared θ, ω) of each stream; default all in group 0. */
  groupOf?: Int32Array;
  maxIter?: number;
  /** Stop when θ, ω and Σμ change by less than this relative amount. */
  tol?: number;
  theta0?: number;
  omega0?: number;
  /** Upper bound on θ: keeps the fitted process subcritical (θ < 1), so forecasts stay finite. */
  maxTheta?: number;
  /** Upper bound on ω (per day). */
  maxOmega?: number;
  onIteration?: (iter: number, logLik: number) => void;
}

export interface GridEtasFit {
  /** Background rate per stream, events per day. */
  mu: Float64Array;
  theta: Float64Array;
  omega: Float64Array;
  groupOf: Int32Array;
  T: number;
  iterations: number;
  converged: boolean;
  /** Log-likelihood at the parameters before the last M-step. */
  logLik: number;
  /** Share of events the final E-step attributes to background. */
  backgroundShare: number;
}

/** Group event times by stream (counting sort) and sort each stream's times. */
export function groupByStream(t: Float64Array, stream: Int32Array, nStreams: number, T: number): GridEtasData {
  const off = new Int32Array(nStreams + 1);
  for (let i = 0; i < stream.length; i++) off[stream[i] + 1]++;
  for (let s = 0; s < nStreams; s++) off[s + 1] += off[s];
  const fill = off.slice(0, nStreams);
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[fill[stream[i]]++] = t[i];
  for (let s = 0; s < nStreams; s++) if (off[s + 1] - off[s] > 1) out.subarray(off[s], off[s + 1]).sort();
  return { t: out, off, nStreams, T };
}

export function fitGridEtas(data: GridEtasData, opts: GridEtasOptions = {}): GridEtasFit {
  const { t, off, nStreams, T } = data;
  if (!(T > 0)) throw new Error(`ETAS window length must be positive (got ${T})`);
  const groupOf = opts.groupOf ?? new Int32Array(nStreams);
  let G = 0;
  for (let s = 0; s < nStreams; s++) G = Math.max(G, groupOf[s] + 1);
  const maxIter = opts.maxIter ?? 200, tol = opts.tol ?? 1e-5;
  const maxTheta = opts.maxTheta ?? 0.99, maxOmega = opts.maxOmega ?? 1000;
  const theta = new Float64Array(G).fill(opts.theta0 ?? 0.5);
  const omega = new Float64Array(G).fill(opts.omega0 ?? 0.1);
  const mu = new Float64Array(nStreams);
  for (let s = 0; s < nStreams; s++) mu[s] = (0.5 * (off[s + 1] - off[s])) / T;
  const P = new Float64Array(G), D = new Float64Array(G), E1 = new Float64Array(G), E2 = new Float64Array(G);
  let iterations = 0, converged = false, logLik = -Infinity, bgTotal = 0;
  for (let it = 0; it < maxIter; it++) {
    P.fill(0); D.fill(0); E1.fill(0); E2.fill(0);
    let ll = 0, muSumOld = 0, muSumNew = 0;
    bgTotal = 0;
    for (let s = 0; s < nStreams; s++) {
      const a = off[s], b = off[s + 1];
      if (a === b) continue;
      const g = groupOf[s], th = theta[g], om = omega[g], m = mu[s], thom = th * om;
      let A = 0, B = 0, k = 0, tprev = 0, bg = 0, p = 0, dsum = 0, e1 = 0, e2 = 0;
      for (let i = a; i < b; i++) {
        const ti = t[i];
        if (k > 0 && ti > tprev) {
          const d = ti - tprev, e = Math.exp(-om * d);
          B = e * (B + d * (A + k));
          A = e * (A + k);
          k = 0;
        }
        const lam = m + thom * A;
        bg += m / lam;
        p += (thom * A) / lam;
        dsum += (thom * B) / lam;
        ll += Math.log(lam);
        k++;
        tprev = ti;
        const r = T - ti, er = Math.exp(-om * r);
        e1 += 1 - er;
        e2 += r * er;
      }
      ll -= m * T + th * e1;
      P[g] += p; D[g] += dsum; E1[g] += e1; E2[g] += e2;
      muSumOld += m;
      mu[s] = bg / T;
      muSumNew += mu[s];
      bgTotal += bg;
    }
    logLik = ll;
    opts.onIteration?.(it, ll);
    let change = Math.abs(muSumNew - muSumOld) / Math.max(muSumOld, 1e-300);
    for (let g = 0; g < G; g++) {
      if (!(E1[g] > 0) || !(P[g] > 0)) continue; // group without events, or no triggering left
      const th = Math.min(maxTheta, P[g] / E1[g]);
      const om = Math.min(maxOmega, Math.max(1e-6, P[g] / (D[g] + th * E2[g])));
      change = Math.max(change, Math.abs(th - theta[g]) / theta[g], Math.abs(om - omega[g]) / omega[g]);
      theta[g] = th; omega[g] = om;
    }
    iterations = it + 1;
    if (change < tol) { converged = true; break; }
  }
  return { mu, theta, omega, groupOf, T, iterations, converged, logLik, backgroundShare: t.length ? bgTotal / t.length : 1 };
}

/** Σ_{i∈s} e^{−ω(T − t_i)} per stream: the decayed "excitation" each stream carries at the end of the window. */
export function excitationAtEnd(data: GridEtasData, omega: Float64Array, groupOf: Int32Array): Float64Array {
  const S = new Float64Array(data.nStreams);
  for (let s = 0; s < data.nStreams; s++) {
    const om = omega[groupOf[s]];
    let acc = 0;
    for (let i = data.off[s]; i < data.off[s + 1]; i++) acc += Math.exp(-om * (data.T - data.t[i]));
    S[s] = acc;
  }
  return S;
}
