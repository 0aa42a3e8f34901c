/**
 * The Pólya-urn model of predictive policing of Ensign et al. (2018), "Runaway feedback loops in predictive policing".
 *
 * Each round one patrol visits one of R regions. The urn holds the recorded incidents per region (the forecaster's
 * belief). Policy "proportional" visits region i with probability equal to its urn share; "greedy" visits the region
 * with the most recorded incidents (ties broken at random). A visit to i discovers an incident with probability
 * rates[i]; a discovered incident is added to the urn. Victim reports (probability reportRates[i] per round, default 0)
 * are added whatever the patrol did.
 *
 * Without correction the urn runs away: under "proportional" the expected update of region i is p_i·λ_i, so its share
 * follows dp_i ∝ p_i(λ_i − Σ_j p_j λ_j) and the region with the highest rate takes everything; under "greedy" the
 * first region to record an incident is visited forever, whatever its rate.
 * Corrections: "ipw" adds 1/p_i per discovery (expected update λ_i, so shares converge to λ_i / Σλ — Ensign et al.'s
 * fix in expectation, without their rejection-sampling step); "explore" visits a uniformly random region with
 * probability ε and lets only those exploratory discoveries (plus reports) update the urn.
 * IPW needs a randomised policy: under "greedy" every visit has probability 1, so IPW changes nothing there
 * (the simulation shows this) and only exploration breaks the lock-in.
 */
import { Rng } from '../../util/rng.js';
import type { FeedbackCorrection } from './corrections.js';
import { toShares, totalVariation } from './divergence.js';

export type UrnPolicy = 'proportional' | 'greedy';

export interface UrnOptions {
  /** Discovery probability per visit for each region (λ_i ∈ [0, 1]), at least two regions. */
  rates: number[];
  /** Per-round probability of a victim report from each region (added regardless of patrols). Default 0. */
  reportRates?: number[];
  /** Initial urn content per region (default 1 each). */
  initial?: number[];
  rounds: number;
  policy?: UrnPolicy;
  correction?: FeedbackCorrection;
  /** Exploration share for correction "explore" (default 0.1). */
  epsilon?: number;
  seed?: number;
  /** Rounds at which the trajectory is recorded (default: ~100 log-spaced checkpoints plus the last round). */
  checkpoints?: number;
}

export interface UrnResult {
  policy: UrnPolicy;
  correction: FeedbackCorrection;
  trueShares: number[];
  /** Recorded rounds (1-based round numbers) and, at each, the urn shares and TV(urn shares, true shares). */
  rounds: number[];
  urnShares: number[][];
  divergence: number[];
  /** Share of all visits each region received. */
  visitShares: number[];
  finalShares: number[];
  /** Region holding the largest urn share at the end. */
  leader: number;
}

function checkpointRounds(rounds: number, n: number): Set<number> {
  const set = new Set<number>([1, rounds]);
  for (let k = 0; k < n; k++) set.add(Math.max(1, Math.round(Math.exp((Math.log(rounds) * k) / (n - 1)))));
  return set;
}

export function simulateUrn(o: UrnOptions): UrnResult {
  const R = o.rates.length;
  if (R < 2) throw new RangeError('simulateUrn needs at least two regions');
  for (const l of o.rates) if (!(l >= 0 && l <= 1)) throw new RangeError('urn rates are per-visit probabilities in [0, 1]');
  const policy = o.policy ?? 'proportional', correction = o.correction ?? 'none', eps = o.epsilon ?? 0.1;
  if (correction === 'explore' && !(eps > 0 && eps <= 1)) throw new RangeError('explore needs epsilon in (0, 1]');
  const reports = o.reportRates ?? new Array<number>(R).fill(0);
  const urn = Float64Array.from(o.initial ?? new Array<number>(R).fill(1));
  const rng = new Rng(o.seed ?? 1);
  const visits = new Float64Array(R), p = new Float64Array(R);
  const marks = checkpointRounds(o.rounds, o.checkpoints ?? 100);
  const truth = toShares(o.rates);
  const out: UrnResult = {
    policy, correction, trueShares: Array.from(truth), rounds: [], urnShares: [], divergence: [],
    visitShares: [], finalShares: [], leader: 0,
  };
  const explore = correction === 'explore' ? eps : 0;
  for (let t = 1; t <= o.rounds; t++) {
    // visit probabilities under the policy, mixed with uniform exploration
    if (policy === 'proportional') toShares(urn, p);
    else {
      let best = -Infinity, ties = 0;
      for (let i = 0; i < R; i++) {
        if (urn[i] > best) { best = urn[i]; ties = 1; } else if (urn[i] === best) ties++;
      }
      for (let i = 0; i < R; i++) p[i] = urn[i] === best ? 1 / ties : 0;
    }
    for (let i = 0; i < R; i++) p[i] = (1 - explore) * p[i] + explore / R;
    const exploratory = explore > 0 && rng.random() < explore;
    let v: number;
    if (exploratory) v = rng.int(R);
    else {
      // draw from the policy part alone (p without the exploration mixture)
      const u = rng.random();
      let acc = 0;
      v = R - 1;
      for (let i = 0; i < R; i++) {
        acc += (p[i] - explore / R) / (1 - explore);
        if (u < acc) { v = i; break; }
      }
    }
    visits[v]++;
    if (rng.random() < o.rates[v]) {
      if (correction === 'none') urn[v] += 1;
      else if (correction === 'ipw') urn[v] += 1 / p[v];
      else if (exploratory) urn[v] += 1;
    }
    for (let i = 0; i < R; i++) if (reports[i] > 0 && rng.random() < reports[i]) urn[i] += 1;
    if (marks.has(t)) {
      const s = toShares(urn);
      out.rounds.push(t);
      out.urnShares.push(Array.from(s));
      out.divergence.push(totalVariation(s, truth));
    }
  }
  out.visitShares = Array.from(toShares(visits));
  out.finalShares = out.urnShares[out.urnShares.length - 1];
  out.leader = out.finalShares.indexOf(Math.max(...out.finalShares));
  return out;
}

export interface UrnReplicateSummary {
  runs: number;
  /** Share of runs whose final leader is each region. */
  leaderShare: number[];
  /** Mean over runs of the final TV(urn shares, true shares). */
  meanFinalDivergence: number;
  /** Mean over runs of the TV at the first checkpoint. */
  meanInitialDivergence: number;
  /** Mean final urn share of each region. */
  meanFinalShares: number[];
}

/** Runs the urn `runs` times with seeds seed, seed+1, … and summarises where it ends. */
export function urnReplicates(o: UrnOptions, runs: number): UrnReplicateSummary {
  const R = o.rates.length, lead = new Float64Array(R), shares = new Float64Array(R);
  let fin = 0, ini = 0;
  for (let k = 0; k < runs; k++) {
    const r = simulateUrn({ ...o, seed: (o.seed ?? 1) + k, checkpoints: 2 });
    lead[r.leader]++;
    fin += r.divergence[r.divergence.length - 1];
    ini += r.divergence[0];
    r.finalShares.forEach((s, i) => { shares[i] += s; });
  }
  return {
    runs, leaderShare: Array.from(lead, (v) => v / runs), meanFinalDivergence: fin / runs,
    meanInitialDivergence: ini / runs, meanFinalShares: Array.from(shares, (v) => v / runs),
  };
}
