/**
 * How patrol dosage turns expected crime into crime "covered". Both models are concave and non-decreasing in the
 * dosage with f(0) = 0, which is what makes the marginal-gain greedy exact (budget + bounds only) and lets the
 * MIP express the objective as a sum of decreasing increments without binary variables.
 *
 * - exponential: covered_r = λ_r · (1 − e^{−β·d}) — diminishing returns (Koopman's random-search law).
 * - linear: covered_r = λ_r · min(d, s) / s — each unit of dosage covers a fixed share up to saturation s.
 */
import { UserError } from '../../util/errors.js';

export type CoverageModel =
  | { kind: 'exponential'; beta: number }
  | { kind: 'linear'; saturation: number };

/** Fraction of a region's expected crime covered at integer dosage d. */
export function coveredFraction(model: CoverageModel, d: number): number {
  if (d <= 0) return 0;
  if (model.kind === 'exponential') return 1 - Math.exp(-model.beta * d);
  return Math.min(d, model.saturation) / model.saturation;
}

/** Gain of the j-th unit of dosage (j ≥ 1) per unit of λ: f(j) − f(j − 1); non-increasing in j. */
export function incrementGain(model: CoverageModel, j: number): number {
  return coveredFraction(model, j) - coveredFraction(model, j - 1);
}

/** "exp:0.5", "exponential:beta=0.5", "linear:2", "linear:saturation=2". */
export function parseCoverageModel(spec: string): CoverageModel {
  const [kindRaw, argRaw = ''] = spec.split(':');
  const kind = kindRaw.trim().toLowerCase();
  const value = Number(argRaw.includes('=') ? argRaw.split('=')[1] : argRaw);
  if (kind === 'exp' || kind === 'exponential') {
    const beta = argRaw === '' ? 0.5 : value;
    if (!(beta > 0)) throw new UserError(`coverage model "${spec}": beta must be > 0`);
    return { kind: 'exponential', beta };
  }
  if (kind === 'linear') {
    const saturation = argRaw === '' ? 1 : value;
    if (!(saturation > 0)) throw new UserError(`coverage model "${spec}": saturation must be > 0`);
    return { kind: 'linear', saturation };
  }
  throw new UserError(`unknown coverage model "${spec}"`, 'use exp:<beta> or linear:<saturation>');
}
