/**
 * Randomisation inference (Fisher): under the sharp null of no effect on any unit, outcomes are fixed and only the
 * assignment is random, so redrawing assignments exactly as the design did gives the statistic's null distribution.
 * Statistic: the difference-in-differences log rate ratio
 *   log[(Σ_T y + ½)/(Σ_T b + ½)] − log[(Σ_C y + ½)/(Σ_C b + ½)]   (without a baseline: log of the arms' mean ratio),
 * cheap enough for thousands of redraws. p = (1 + #{|S*| ≥ |S|}) / (1 + B), valid at any sample size.
 */
import { Rng } from '../../util/rng.js';
import { drawAssignment, type RctDesign } from './design.js';

export function didLogRateRatio(y: ArrayLike<number>, assignment: ArrayLike<number>, baseline?: ArrayLike<number>): number {
  let yt = 0, yc = 0, bt = 0, bc = 0, nt = 0, nc = 0;
  for (let i = 0; i < y.length; i++) {
    if (assignment[i]) { yt += y[i]; bt += baseline ? baseline[i] : 1; nt++; } else { yc += y[i]; bc += baseline ? baseline[i] : 1; nc++; }
  }
  if (nt === 0 || nc === 0) return 0;
  return Math.log((yt + 0.5) / (bt + 0.5)) - Math.log((yc + 0.5) / (bc + 0.5));
}

export interface RandomisationTestResult { statistic: number; p: number; B: number }

export function randomisationTest(
  statistic: (assignment: Uint8Array) => number, design: RctDesign, opts: { B?: number; seed?: number } = {},
): RandomisationTestResult {
  const B = opts.B ?? 2000, rng = new Rng(opts.seed ?? 7);
  const observed = statistic(design.assignment);
  const draw = new Uint8Array(design.assignment.length);
  let extreme = 0;
  for (let b = 0; b < B; b++) {
    drawAssignment(design.scheme, design.pTreat, design.block, rng, draw);
    // tolerance: ties with the observed statistic count as extreme (conservative)
    if (Math.abs(statistic(draw)) >= Math.abs(observed) - 1e-12) extreme++;
  }
  return { statistic: observed, p: (1 + extreme) / (1 + B), B };
}
