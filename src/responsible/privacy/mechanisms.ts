/**
 * Differential privacy for published counts (Dwork & Roth 2014, "The Algorithmic Foundations of Differential
 * Privacy", §3.3 and the geometric mechanism of Ghosh, Roughgarden & Sundararajan 2009).
 *
 * A count map where one incident changes one cell by 1 has L1 sensitivity Δ = 1 (record-level privacy: each
 * incident is protected, not each person; a person in several incidents needs Δ = their most incidents).
 * - Laplace: add Lap(b), b = Δ/ε; mean 0, variance 2b².
 * - Geometric (discrete Laplace): add Z with P(Z = z) ∝ α^{|z|}, α = e^{−ε/Δ}; integer-valued, mean 0,
 *   variance 2α/(1 − α)². Drawn as the difference of two i.i.d. geometric variables (failures before a success
 *   with success probability 1 − α), whose difference has exactly that law.
 * Post-processing (clamping at 0, rounding) cannot weaken the guarantee, and it removes impossible negative counts
 * (at the cost of an upward bias in cells whose true count is near 0).
 */
import type { Rng } from '../../util/rng.js';

export interface MechanismParams {
  /** Privacy loss ε > 0 (Infinity = no noise). */
  epsilon: number;
  /** L1 sensitivity Δ > 0 (default 1: one incident changes one count by 1). */
  sensitivity?: number;
}

function check({ epsilon, sensitivity = 1 }: MechanismParams): number {
  if (!(epsilon > 0)) throw new RangeError(`epsilon must be > 0 (got ${epsilon})`);
  if (!(sensitivity > 0) || !Number.isFinite(sensitivity)) throw new RangeError(`sensitivity must be a positive number (got ${sensitivity})`);
  return sensitivity;
}

/** Laplace scale b = Δ/ε. */
export function laplaceScale(p: MechanismParams): number {
  return check(p) / p.epsilon;
}

/** α = e^{−ε/Δ} of the geometric mechanism. */
export function geometricAlpha(p: MechanismParams): number {
  return Math.exp(-p.epsilon / check(p));
}

/** One Lap(0, b) draw by inversion. */
export function laplaceNoise(rng: Rng, b: number): number {
  const u = rng.random() - 0.5;
  // 1 − 2|u| ∈ (0, 1]; log of it is finite because random() < 1
  return -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}

/** One geometric failure count with P(G = g) = (1 − α) α^g. */
function geometric(rng: Rng, alpha: number): number {
  if (alpha <= 0) return 0;
  return Math.floor(Math.log(1 - rng.random()) / Math.log(alpha));
}

/** One two-sided geometric (discrete Laplace) draw with P(z) ∝ α^{|z|}. */
export function geometricNoise(rng: Rng, alpha: number): number {
  return geometric(rng, alpha) - geometric(rng, alpha);
}

/** Laplace variance 2(Δ/ε)². */
export function laplaceVariance(p: MechanismParams): number {
  const b = laplaceScale(p);
  return 2 * b * b;
}

/** Geometric-mechanism variance 2α/(1 − α)². */
export function geometricVariance(p: MechanismParams): number {
  const a = geometricAlpha(p);
  return (2 * a) / ((1 - a) * (1 - a));
}

export interface PostProcess {
  /** Replace negative values by 0 (default true). */
  clampZero?: boolean;
  /** Round to the nearest integer (default false; the geometric mechanism is already integer). */
  round?: boolean;
}

function post(v: number, pp: PostProcess): number {
  let x = v;
  if (pp.clampZero ?? true) x = Math.max(0, x);
  if (pp.round) x = Math.round(x);
  return x;
}

export type MechanismKind = 'laplace' | 'geometric';

/** Noisy copy of `counts` under the chosen mechanism; ε = Infinity returns the (post-processed) counts unchanged. */
export function privatizeCounts(
  counts: ArrayLike<number>, kind: MechanismKind, p: MechanismParams, rng: Rng, pp: PostProcess = {},
): Float64Array {
  const out = new Float64Array(counts.length);
  if (p.epsilon === Infinity) {
    for (let i = 0; i < out.length; i++) out[i] = post(counts[i], pp);
    return out;
  }
  if (kind === 'laplace') {
    const b = laplaceScale(p);
    for (let i = 0; i < out.length; i++) out[i] = post(counts[i] + laplaceNoise(rng, b), pp);
  } else {
    const a = geometricAlpha(p);
    for (let i = 0; i < out.length; i++) out[i] = post(counts[i] + geometricNoise(rng, a), pp);
  }
  return out;
}
