/**
 * Hyper-parameter search over a ParamSpace, every trial scored on validation periods by a TrialExecutor.
 *
 * - randomSearch: `budget` distinct random configurations, each scored on all `maxPeriods` validation periods.
 * - successiveHalving (Jamieson & Talwalkar 2016): the same `budget` configurations start on few validation
 *   periods; after each rung the best 1/eta go on to eta times as many periods, until the survivors are scored
 *   on all `maxPeriods`. Bad configurations are dropped after cheap evaluations, so the same number of
 *   configurations costs a fraction of random search's validation periods.
 * Lower scores are better; ties go to the earlier trial. NaN scores rank as Infinity.
 */
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import type { Trial, TrialExecutor, TrialResult } from './executor.js';
import { sampleDistinct, type ParamSpace } from './param-space.js';

export interface SearchOptions {
  /** Configurations to try. */
  budget: number;
  /** Validation periods a fully scored configuration is scored on. */
  maxPeriods: number;
  executor: TrialExecutor;
  seed?: number;
}

export interface HalvingOptions extends SearchOptions {
  /** Keep the best 1/eta of each rung (default 3). */
  eta?: number;
  /** Fewest validation periods a rung scores (default min(7, maxPeriods)). */
  minPeriods?: number;
}

export interface SearchResult {
  strategy: 'random' | 'halving';
  best: TrialResult;
  /** Every trial, in the order run. */
  trials: TrialResult[];
  /** Validation periods scored in total, summed over trials (the search's cost in forecast periods). */
  periodsScored: number;
  /** Successive halving: configurations and periods per rung. */
  rungs?: { configs: number; periods: number }[];
}

const score = (r: TrialResult) => (Number.isNaN(r.score) ? Infinity : r.score);
const byScore = (a: TrialResult, b: TrialResult) => score(a) - score(b) || a.id - b.id;

function check(o: SearchOptions): void {
  if (!(Number.isInteger(o.budget) && o.budget >= 1)) throw new UserError(`search budget must be a positive integer, got ${o.budget}`);
  if (!(Number.isInteger(o.maxPeriods) && o.maxPeriods >= 1)) throw new UserError(`validation periods must be a positive integer, got ${o.maxPeriods}`);
}

async function run(executor: TrialExecutor, trials: Trial[]): Promise<TrialResult[]> {
  const results = await executor.runTrials(trials);
  const byId = new Map(results.map((r) => [r.id, r]));
  return trials.map((t) => {
    const r = byId.get(t.id);
    if (!r) throw new Error(`executor returned no result for trial ${t.id} (${t.spec})`);
    return r;
  });
}

function finish(strategy: SearchResult['strategy'], trials: TrialResult[], finalists: TrialResult[], rungs?: SearchResult['rungs']): SearchResult {
  const best = [...finalists].sort(byScore)[0];
  if (!Number.isFinite(score(best))) {
    throw new UserError(`every configuration failed or scored NaN; first error: ${trials.find((t) => t.error)?.error ?? 'score is not finite'}`);
  }
  return { strategy, best, trials, periodsScored: trials.reduce((s, t) => s + t.periods, 0), rungs };
}

export async function randomSearch(space: ParamSpace, o: SearchOptions): Promise<SearchResult> {
  check(o);
  const specs = sampleDistinct(space, o.budget, new Rng(o.seed ?? 1));
  const trials = await run(o.executor, specs.map((spec, id) => ({ id, spec, periods: o.maxPeriods })));
  return finish('random', trials, trials);
}

/** Periods of each rung: eta-fold steps ending at maxPeriods, the first no shorter than minPeriods. */
export function halvingSchedule(configs: number, maxPeriods: number, minPeriods: number, eta: number): number[] {
  const byConfigs = Math.floor(Math.log(configs) / Math.log(eta) + 1e-9) + 1;
  const byPeriods = Math.floor(Math.log(maxPeriods / minPeriods) / Math.log(eta) + 1e-9) + 1;
  const K = Math.max(1, Math.min(byConfigs, byPeriods));
  return Array.from({ length: K }, (_, k) => Math.max(minPeriods, Math.round(maxPeriods / eta ** (K - 1 - k))));
}

export async function successiveHalving(space: ParamSpace, o: HalvingOptions): Promise<SearchResult> {
  check(o);
  const eta = o.eta ?? 3, minPeriods = Math.min(o.minPeriods ?? 7, o.maxPeriods);
  if (!(eta >= 2)) throw new UserError(`successive halving needs eta ≥ 2, got ${eta}`);
  if (!(Number.isInteger(minPeriods) && minPeriods >= 1)) throw new UserError(`minimum validation periods must be a positive integer, got ${minPeriods}`);
  let alive = sampleDistinct(space, o.budget, new Rng(o.seed ?? 1));
  const schedule = halvingSchedule(alive.length, o.maxPeriods, minPeriods, eta);
  const all: TrialResult[] = [], rungs: { configs: number; periods: number }[] = [];
  let last: TrialResult[] = [];
  for (let k = 0; k < schedule.length; k++) {
    const periods = schedule[k];
    last = await run(o.executor, alive.map((spec, i) => ({ id: all.length + i, spec, periods })));
    all.push(...last);
    rungs.push({ configs: alive.length, periods });
    if (k < schedule.length - 1) {
      const keep = Math.max(1, Math.floor(alive.length / eta));
      alive = [...last].sort(byScore).slice(0, keep).map((r) => r.spec);
    }
  }
  return finish('halving', all, last, rungs);
}
