/**
 * Power and sample size for comparing two Poisson / negative-binomial rates with a Wald test on the log rate ratio
 * (Zhu & Lakkis 2014, Stat Med 33:376–387, their variance with V0 = V1):
 *
 *   Var(log RR̂) ≈ V / n_c,   V = (1/μ_c + k) + (1/r)(1/μ_t + k),   μ_c = λ_c·t,  μ_t = RR·μ_c,  r = n_t / n_c
 *   power = Φ(|log RR|·√(n_c / V) − z_{1−α/2})        n_c = (z_{1−α/2} + z_{1−β})² V / (log RR)²
 *
 * k is the NB overdispersion (Var = μ + kμ²; k = 0 is Poisson). For crime units, k is the between-unit
 * heterogeneity left after the design's adjustment; estimate it from pre-period data (see estimateDispersion).
 */
import { normalCdf } from '../../util/special-functions.js';
import { normalQuantile } from '../../util/special-functions.js';
import { fitNegBinSize } from '../../models/dispersion.js';
import { UserError } from '../../util/errors.js';

export interface PowerInputs {
  /** Expected count per control unit per period (λ_c). */
  controlRate: number;
  /** Rate ratio treated / control (e.g. 0.8 for a 20 % reduction). */
  rateRatio: number;
  /** Periods each unit is followed (t). */
  periods: number;
  /** NB overdispersion k (0 = Poisson). */
  dispersion: number;
  alpha?: number;
  /** Treated per control (default 1). */
  allocationRatio?: number;
}

function varianceFactor(p: PowerInputs): number {
  const r = p.allocationRatio ?? 1;
  const muC = p.controlRate * p.periods, muT = muC * p.rateRatio;
  if (!(muC > 0 && p.rateRatio > 0 && p.dispersion >= 0 && r > 0)) throw new UserError('power: rates, rate ratio and allocation ratio must be positive, dispersion ≥ 0');
  return (1 / muC + p.dispersion) + (1 / r) * (1 / muT + p.dispersion);
}

/** Power with nControl control units (and allocationRatio·nControl treated). */
export function closedFormPower(p: PowerInputs, nControl: number): number {
  const z = normalQuantile(1 - (p.alpha ?? 0.05) / 2);
  const se = Math.sqrt(varianceFactor(p) / nControl);
  const d = Math.abs(Math.log(p.rateRatio)) / se;
  // both tails, so power under RR = 1 equals α
  return normalCdf(d - z) + normalCdf(-d - z);
}

/** Control units needed for the target power (treated = allocationRatio × that, rounded up). */
export function sampleSize(p: PowerInputs, power = 0.8): { nControl: number; nTreated: number } {
  if (p.rateRatio === 1) throw new UserError('no sample size detects a rate ratio of 1');
  const z = normalQuantile(1 - (p.alpha ?? 0.05) / 2) + normalQuantile(power);
  const nControl = Math.ceil((z * z * varianceFactor(p)) / Math.log(p.rateRatio) ** 2);
  return { nControl, nTreated: Math.ceil(nControl * (p.allocationRatio ?? 1)) };
}

/**
 * NB overdispersion k = 1/size of unit totals around their expected values (e.g. expected from the baseline
 * period, scaled to the trial length), by maximum likelihood.
 */
export function estimateDispersion(y: ArrayLike<number>, mu: ArrayLike<number>): number {
  const size = fitNegBinSize(y, mu);
  return Number.isFinite(size) ? 1 / size : 0;
}

export interface PowerRow { rateRatio: number; nPerArm: number; power: number }

/** Power table over rate ratios and arm sizes. */
export function powerTable(base: Omit<PowerInputs, 'rateRatio'>, rateRatios: number[], nPerArm: number[]): PowerRow[] {
  const rows: PowerRow[] = [];
  for (const rateRatio of rateRatios) for (const n of nPerArm) rows.push({ rateRatio, nPerArm: n, power: closedFormPower({ ...base, rateRatio }, n) });
  return rows;
}
