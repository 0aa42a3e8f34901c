/** One simulated day of patrols over real counts: deterrence, displacement, reporting; see config.ts. */
import type { Adjacency } from '../../space/units.js';
import { Rng } from '../../util/rng.js';
import { binomial } from '../rct/inject.js';
import type { SimulatorConfig } from './config.js';

export interface DayOutcome {
  /** Crime that actually happened after patrol effects. */
  realised: Float64Array;
  /** Crime the policy sees (NaN where unobserved). */
  observed: Float64Array;
  /** Counterfactual crime in the patrolled cells (what the patrols were placed against). */
  covered: number;
  /** Net crimes prevented: Σ counterfactual − Σ realised (deterred minus displaced). */
  prevented: number;
}

export function simulateDay(truth: ArrayLike<number>, patrolled: Uint8Array, adj: Adjacency, cfg: SimulatorConfig, rng: Rng): DayOutcome {
  const R = truth.length;
  const realised = new Float64Array(R), observed = new Float64Array(R);
  let covered = 0, total = 0;
  for (let r = 0; r < R; r++) { realised[r] += truth[r]; total += truth[r]; }
  for (let r = 0; r < R; r++) {
    if (!patrolled[r]) continue;
    const y = Math.round(truth[r]);
    covered += y;
    const prevented = binomial(rng, y, cfg.deterrence);
    realised[r] -= prevented;
    const deg = adj.offsets[r + 1] - adj.offsets[r];
    if (deg === 0) continue;
    const moved = binomial(rng, prevented, cfg.displacement);
    for (let m = 0; m < moved; m++) realised[adj.neighbors[adj.offsets[r] + rng.int(deg)]]++;
  }
  let after = 0;
  for (let r = 0; r < R; r++) {
    after += realised[r];
    const p = patrolled[r] ? Math.max(cfg.reportRate, cfg.patrolDetectRate) : cfg.reportRate;
    observed[r] = cfg.observe === 'patrolled' && !patrolled[r] ? NaN : binomial(rng, realised[r], p);
  }
  return { realised, observed, covered, prevented: total - after };
}
