/** Runs one policy through the simulator over real daily counts and records what it achieved each day. */
import type { Adjacency } from '../../space/units.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { Rng } from '../../util/rng.js';
import { UserError } from '../../util/errors.js';
import { simulateDay } from './environment.js';
import type { PatrolPolicy } from './policy.js';
import type { SimulatorConfig } from './config.js';

/** Daily totals over categories: periods × regions (Float64, row-major). */
export function dailyTotals(t: CountTensor): Float64Array {
  const out = new Float64Array(t.periods * t.regions), C = t.categories;
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += t.data[i * C + c];
    out[i] = s;
  }
  return out;
}

export interface PolicyRun {
  policy: string;
  /** Per simulated day: counterfactual crime in patrolled cells. */
  covered: Float64Array;
  /** Per simulated day: net crime prevented. */
  prevented: Float64Array;
  /** Per simulated day: all counterfactual crime (the denominator of the covered share). */
  total: Float64Array;
  /** Patrol-days per region. */
  patrolDays: Int32Array;
}

/**
 * `truth` is days × regions of counterfactual counts. The policy sees days [0, startDay) as unpatrolled, reported
 * history (thinned by reportRate), then acts for cfg.days days. `oracle` (optional) replaces the policy by the true
 * top-k, an upper bound no real policy can reach.
 */
export function runPolicy(policy: PatrolPolicy | 'oracle', truth: Float64Array, regions: number, adj: Adjacency, cfg: SimulatorConfig): PolicyRun {
  const R = regions, D = truth.length / R;
  if (cfg.startDay < 1 || cfg.startDay + cfg.days > D) throw new UserError(`simulated days [${cfg.startDay}, ${cfg.startDay + cfg.days}) leave the data [1, ${D})`);
  if (!(cfg.k >= 1 && cfg.k < R)) throw new UserError(`k must lie in [1, ${R})`);
  const envRng = new Rng(cfg.seed), policyRng = new Rng(cfg.seed + 7919);
  const history = new Float64Array(cfg.startDay * R);
  for (let i = 0; i < history.length; i++) history[i] = cfg.reportRate >= 1 ? truth[i] : binomialCount(envRng, truth[i], cfg.reportRate);
  if (policy !== 'oracle') policy.init({ regions: R, k: cfg.k, history, historyDays: cfg.startDay }, policyRng);
  const covered = new Float64Array(cfg.days), prevented = new Float64Array(cfg.days), total = new Float64Array(cfg.days);
  const patrolDays = new Int32Array(R), patrolled = new Uint8Array(R);
  for (let d = 0; d < cfg.days; d++) {
    const day = truth.subarray((cfg.startDay + d) * R, (cfg.startDay + d + 1) * R);
    const pick = policy === 'oracle' ? oracleTopK(day, cfg.k) : policy.choose(policyRng);
    patrolled.fill(0);
    for (const r of pick) patrolled[r] = 1;
    if (patrolled.reduce((a, b) => a + b, 0) !== cfg.k) throw new Error(`policy chose ${pick.length} cells, not ${cfg.k} distinct ones`);
    const out = simulateDay(day, patrolled, adj, cfg, envRng);
    covered[d] = out.covered; prevented[d] = out.prevented;
    for (let r = 0; r < R; r++) { total[d] += day[r]; patrolDays[r] += patrolled[r]; }
    if (policy !== 'oracle') policy.update(out.observed, patrolled);
  }
  return { policy: policy === 'oracle' ? 'oracle' : policy.name, covered, prevented, total, patrolDays };
}

function binomialCount(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.random() < p) k++;
  return k;
}

function oracleTopK(day: ArrayLike<number>, k: number): Int32Array {
  const idx = Array.from({ length: day.length }, (_, i) => i).sort((a, b) => day[b] - day[a] || a - b);
  return Int32Array.from(idx.slice(0, k));
}
