/**
 * Forecasting one exponential-kernel Hawkes stream past the cut-off (time 0 here):
 * background μ per day, excitation S = Σ_i e^{−ω(T − t_i)} carried by the past, branching ratio θ, decay ω.
 */
import { Rng } from '../../util/rng.js';

/**
 * Expected number of events in period h = [hΔ, (h+1)Δ) after the cut-off, counting every generation.
 * The expected excess intensity m(t) = E[λ(t)] − μ obeys m' = −ω(1−θ) m + θωμ (differentiate the renewal
 * equation of the exponential kernel), with m(0) = θωS, so
 *   m(t) = m∞ + (m(0) − m∞) e^{−κt},  κ = ω(1−θ),  m∞ = θμ/(1−θ),
 * and the period integral is closed form. For θ → 0 it reduces to μΔ.
 */
export function expectedPeriodCount(mu: number, S: number, theta: number, omega: number, periodDays: number, h: number): number {
  const th = Math.min(theta, 0.999);
  const kappa = omega * (1 - th);
  const mInf = (th * mu) / (1 - th);
  const m0 = th * omega * S;
  const decay = kappa > 0 ? ((m0 - mInf) / kappa) * Math.exp(-kappa * h * periodDays) * -Math.expm1(-kappa * periodDays) : 0;
  return (mu + mInf) * periodDays + decay;
}

/** A growable stack of event times for branching simulations, reused across streams. */
export class TimeStack {
  private buf = new Float64Array(256);
  size = 0;
  push(v: number): void {
    if (this.size === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.size++] = v;
  }
  pop(): number {
    return this.buf[--this.size];
  }
}

/**
 * One draw of the stream's counts in the next `horizon` periods, by branching: background events are
 * Poisson(μH) uniform on [0, H); the past's remaining offspring number Poisson(θS) at Exp(ω) delays after
 * the cut-off (memorylessness of the exponential kernel); every event then has Poisson(θ) children at
 * Exp(ω) delays. Counts are added into `out[h * stride]`.
 */
export function simulateStreamForward(
  rng: Rng, mu: number, S: number, theta: number, omega: number,
  periodDays: number, horizon: number, out: Float32Array, offset: number, stride: number, stack: TimeStack,
): void {
  const H = periodDays * horizon;
  stack.size = 0;
  const nb = rng.poisson(mu * H);
  for (let k = 0; k < nb; k++) stack.push(rng.random() * H);
  const np = rng.poisson(theta * S);
  for (let k = 0; k < np; k++) stack.push(rng.exponential(omega));
  while (stack.size > 0) {
    const t = stack.pop();
    if (t >= H) continue;
    out[offset + Math.floor(t / periodDays) * stride] += 1;
    const nc = rng.poisson(theta);
    for (let k = 0; k < nc; k++) stack.push(t + rng.exponential(omega));
  }
}

/** Per-stream Hawkes state at the cut-off: stream s = region * categories + category. */
export interface StreamState {
  mu: Float64Array;
  S: Float64Array;
  theta: Float64Array;
  omega: Float64Array;
}

/**
 * Mean counts [h][stream] for the next `horizon` periods and, with simulate > 0, that many branching
 * draws ('samples' layout [k][h][stream]).
 */
export function forecastStreams(st: StreamState, periodDays: number, horizon: number, simulate: number, seed: number):
  { mean: Float32Array; samples?: Float32Array } {
  const nS = st.mu.length;
  const mean = new Float32Array(horizon * nS);
  for (let s = 0; s < nS; s++) {
    for (let h = 0; h < horizon; h++) mean[h * nS + s] = expectedPeriodCount(st.mu[s], st.S[s], st.theta[s], st.omega[s], periodDays, h);
  }
  if (simulate <= 0) return { mean };
  const cells = horizon * nS;
  const samples = new Float32Array(simulate * cells);
  const rng = new Rng(seed);
  const stack = new TimeStack();
  for (let k = 0; k < simulate; k++) {
    for (let s = 0; s < nS; s++) {
      if (st.mu[s] === 0 && st.S[s] === 0) continue;
      simulateStreamForward(rng, st.mu[s], st.S[s], st.theta[s], st.omega[s], periodDays, horizon, samples, k * cells + s, nS, stack);
    }
  }
  return { mean, samples };
}
