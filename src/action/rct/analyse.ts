/** A complete trial analysis: rate ratio with Wald CI (GLM), randomisation-test p-value, and the spillover check. */
import type { Adjacency } from '../../space/units.js';
import type { RctDesign } from './design.js';
import { estimateRateRatio, type RateRatioEstimate } from './rate-ratio.js';
import { didLogRateRatio, randomisationTest, type RandomisationTestResult } from './randomisation-test.js';
import { spilloverCheck, type SpilloverResult } from './spillover.js';

export interface TrialAnalysis {
  nTreated: number;
  nControl: number;
  effect: RateRatioEstimate;
  randomisation: RandomisationTestResult;
  spillover?: SpilloverResult;
}

export function analyseTrial(
  design: RctDesign, y: ArrayLike<number>,
  opts: { baseline?: ArrayLike<number>; exposure?: ArrayLike<number>; adjacency?: Adjacency; family?: 'poisson' | 'negbin'; B?: number; seed?: number } = {},
): TrialAnalysis {
  const nTreated = design.assignment.reduce((a, b) => a + b, 0);
  const effect = estimateRateRatio({ y, assignment: design.assignment, baseline: opts.baseline, exposure: opts.exposure, family: opts.family });
  const randomisation = randomisationTest((a) => didLogRateRatio(y, a, opts.baseline), design, { B: opts.B, seed: opts.seed });
  const spillover = opts.adjacency && opts.baseline ? spilloverCheck(opts.adjacency, design, y, opts.baseline, { B: opts.B, seed: (opts.seed ?? 7) + 1, directRateRatio: effect.rateRatio }) : undefined;
  return { nTreated, nControl: design.assignment.length - nTreated, effect, randomisation, spillover };
}
