/**
 * A spatial feedback loop: a forecaster allocates patrols to its top-k regions, patrols discover crimes that
 * nobody reported, and the forecaster retrains on what was recorded.
 *
 * Each round, region r suffers Y_r ~ Poisson(λ_r) incidents. A share ρ (reportedShare) is reported by victims and
 * recorded whatever the police do; each unreported incident is discovered with probability q_r = 1 − (1 − β)^{u_r},
 * u_r the patrol units present in r and β the chance one unit discovers a given incident (so discovery grows with
 * presence and saturates at 1). By Poisson thinning, reported ~ Poisson(ρλ) and discovered ~ Poisson((1−ρ)λq)
 * independently, which is how they are drawn.
 *
 * Warm-up: before the forecaster exists, presence is uniform (k/R units everywhere), so the first estimate is
 * unbiased and the round-0 divergence measures sampling noise only.
 *
 * The forecaster is a moving average of the last `window` training values per region, and training values are:
 * - none:    recorded = reported + discovered.
 * - ipw:     recorded / π_r, π_r = ρ + (1 − ρ) q_r the probability that an incident in r was recorded this round
 *            (Horvitz–Thompson; unbiased for Y_r). Rounds with π_r = 0 carry no information and are skipped.
 * - explore: ⌈ε·k⌉ of the k units go to uniformly random regions; training uses reports plus discoveries made by the
 *            random units only, whose chance of being anywhere does not depend on the forecast.
 *
 * Per round: TV between the forecaster's risk shares and the true-rate shares (the belief divergence), TV between
 * patrol presence and true rates, the share of true crime inside the patrolled set relative to the best possible
 * top-k (capture ratio), and the Gini of cumulative patrol presence.
 */
import { Rng } from '../../util/rng.js';
import { riskOrder } from '../../evaluate/metrics/hotspot.js';
import type { FeedbackCorrection } from './corrections.js';
import { gini, klDivergence, toShares, totalVariation } from './divergence.js';

export interface SpatialFeedbackOptions {
  /** Expected incidents per round in each region (true rates). */
  trueRates: ArrayLike<number>;
  /** Patrol units per round; the naive policy puts one in each of the k highest-risk regions. */
  k: number;
  rounds: number;
  /** Moving-average window of the forecaster, in rounds (default 30); also the warm-up length. */
  window?: number;
  /** Share of incidents victims report regardless of patrols (default 0.5). */
  reportedShare?: number;
  /** Probability that one patrol unit discovers a given unreported incident in its region (default 0.8). */
  detection?: number;
  correction?: FeedbackCorrection;
  /** Randomised share of patrol units for correction "explore" (default 0.1). */
  epsilon?: number;
  seed?: number;
}

export interface SpatialFeedbackResult {
  correction: FeedbackCorrection;
  regions: number;
  k: number;
  /** Round numbers 0..rounds (0 = after the warm-up, before any forecast-driven patrol). */
  round: number[];
  /** TV(forecaster risk shares, true-rate shares) after each round's retraining (round 0: after the warm-up). */
  beliefDivergence: number[];
  /** KL(true shares ‖ risk shares) in nats after each round (risk floored, see divergence.ts). */
  beliefKL: number[];
  /** TV(patrol presence shares, true-rate shares) of each round (round 0: uniform presence). */
  allocationDivergence: number[];
  /** True crime in the patrolled set / true crime in the best k regions. */
  captureRatio: number[];
  /** Gini of cumulative patrol presence per region up to each round. */
  presenceGini: number[];
  /** Share of all recorded incidents (cumulative) found in the k regions that recorded most. */
  recordedTopKShare: number[];
  recordedTotal: number;
  discoveredTotal: number;
}

const BEST = (rates: ArrayLike<number>, k: number): number => {
  const o = riskOrder(rates);
  let s = 0;
  for (let m = 0; m < k && m < o.length; m++) s += rates[o[m]];
  return s;
};

export function simulateSpatialFeedback(o: SpatialFeedbackOptions): SpatialFeedbackResult {
  const lambda = Float64Array.from(o.trueRates), R = lambda.length;
  const k = Math.floor(o.k), W = o.window ?? 30, rho = o.reportedShare ?? 0.5, beta = o.detection ?? 0.8;
  const correction = o.correction ?? 'none', eps = o.epsilon ?? 0.1;
  if (!(k >= 1 && k <= R)) throw new RangeError(`k must lie in [1, ${R}]`);
  if (!(rho >= 0 && rho <= 1) || !(beta >= 0 && beta <= 1)) throw new RangeError('reportedShare and detection are probabilities');
  if (correction === 'explore' && !(eps > 0 && eps <= 1)) throw new RangeError('explore needs epsilon in (0, 1]');
  const rng = new Rng(o.seed ?? 1);
  const nRandom = correction === 'explore' ? Math.min(k, Math.ceil(eps * k)) : 0;
  // ring buffer of the last W training values; `seen` counts informative rounds (IPW skips π = 0)
  const value = new Float64Array(W * R), informative = new Uint8Array(W * R);
  const directed = new Float64Array(R), random = new Float64Array(R), presence = new Float64Array(R);
  const cumPresence = new Float64Array(R), cumRecorded = new Float64Array(R), risk = new Float64Array(R);
  const best = BEST(lambda, k);
  const res: SpatialFeedbackResult = {
    correction, regions: R, k, round: [], beliefDivergence: [], beliefKL: [], allocationDivergence: [], captureRatio: [],
    presenceGini: [], recordedTopKShare: [], recordedTotal: 0, discoveredTotal: 0,
  };

  const step = (slot: number, warm: boolean) => {
    for (let r = 0; r < R; r++) {
      const u = warm ? k / R : directed[r] + random[r];
      presence[r] = u;
      cumPresence[r] += u;
      const qAll = 1 - Math.pow(1 - beta, u);
      const reported = rng.poisson(rho * lambda[r]);
      // split discoveries by who made them: random units first, then directed units find what is left
      const qRand = 1 - Math.pow(1 - beta, random[r]);
      const byRandom = warm ? 0 : rng.poisson((1 - rho) * lambda[r] * qRand);
      const byDirected = rng.poisson((1 - rho) * lambda[r] * (warm ? qAll : (1 - qRand) * (1 - Math.pow(1 - beta, directed[r]))));
      const recorded = reported + byRandom + byDirected;
      cumRecorded[r] += recorded;
      res.recordedTotal += recorded;
      res.discoveredTotal += byRandom + byDirected;
      const i = slot * R + r;
      if (warm || correction === 'none') { value[i] = recorded; informative[i] = 1; }
      else if (correction === 'ipw') {
        const pi = rho + (1 - rho) * qAll;
        value[i] = pi > 0 ? recorded / pi : 0;
        informative[i] = pi > 0 ? 1 : 0;
      } else { value[i] = reported + byRandom; informative[i] = 1; }
    }
  };

  const estimate = () => {
    for (let r = 0; r < R; r++) {
      let s = 0, n = 0;
      for (let w = 0; w < W; w++) if (informative[w * R + r]) { s += value[w * R + r]; n++; }
      risk[r] = n > 0 ? s / n : 0;
    }
  };

  const record = (round: number) => {
    let captured = 0;
    for (let r = 0; r < R; r++) if (presence[r] > 0) captured += lambda[r] * Math.min(1, presence[r]);
    res.round.push(round);
    res.allocationDivergence.push(totalVariation(presence, lambda));
    res.captureRatio.push(best > 0 ? captured / best : NaN);
    res.presenceGini.push(gini(cumPresence));
    const sorted = Float64Array.from(cumRecorded).sort().reverse();
    let top = 0, tot = 0;
    for (let r = 0; r < R; r++) { tot += sorted[r]; if (r < k) top += sorted[r]; }
    res.recordedTopKShare.push(tot > 0 ? top / tot : 0);
  };

  for (let w = 0; w < W; w++) step(w, true);
  estimate();
  res.beliefDivergence.push(totalVariation(risk, lambda));
  res.beliefKL.push(klDivergence(lambda, risk));
  record(0);
  for (let t = 1; t <= o.rounds; t++) {
    // allocate: directed units to the top of the current risk ranking, random units anywhere
    directed.fill(0); random.fill(0);
    const order = riskOrder(risk);
    for (let m = 0; m < k - nRandom; m++) directed[order[m]] = 1;
    for (let m = 0; m < nRandom; m++) random[rng.int(R)] += 1;
    step((W + t - 1) % W, false);
    record(t);
    estimate();
    res.beliefDivergence.push(totalVariation(risk, lambda));
    res.beliefKL.push(klDivergence(lambda, risk));
  }
  return res;
}

/** Shares of the true rates, for reporting. */
export function trueShares(rates: ArrayLike<number>): Float64Array {
  return toShares(rates);
}
