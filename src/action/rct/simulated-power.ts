/**
 * Power by simulation: draw NB (or Poisson) unit counts under the alternative, analyse every trial with the same
 * GLM Wald test used on real trials, and report the rejection rate with its binomial standard error.
 */
import { Rng } from '../../util/rng.js';
import { estimateRateRatio } from './rate-ratio.js';
import type { PowerInputs } from './power.js';

export interface SimulatedPower { power: number; se: number; trials: number }

export function simulatedPower(p: PowerInputs, nControl: number, opts: { trials?: number; seed?: number } = {}): SimulatedPower {
  const trials = opts.trials ?? 500, rng = new Rng(opts.seed ?? 3), alpha = p.alpha ?? 0.05;
  const nT = Math.round(nControl * (p.allocationRatio ?? 1)), n = nControl + nT;
  const size = p.dispersion > 0 ? 1 / p.dispersion : Infinity;
  const assignment = new Uint8Array(n);
  for (let i = nControl; i < n; i++) assignment[i] = 1;
  const y = new Float64Array(n);
  let rejected = 0;
  for (let s = 0; s < trials; s++) {
    for (let i = 0; i < n; i++) y[i] = rng.negbin(p.controlRate * p.periods * (assignment[i] ? p.rateRatio : 1), size);
    const est = estimateRateRatio({ y, assignment, family: p.dispersion > 0 ? 'negbin' : 'poisson' });
    if (est.pWald < alpha) rejected++;
  }
  const power = rejected / trials;
  return { power, se: Math.sqrt((power * (1 - power)) / trials), trials };
}
