/** A policy comparison on the Chicago-driven simulator: the chosen policies, the static top-k baseline and the oracle. */
import { loadStshnBenchmark } from '../../tensor/stshn.js';
import { buildStshnGrid } from '../../space/stshn-grid.js';
import { dailyTotals, runPolicy } from './run.js';
import { makePolicy } from './policies.js';
import { crimeLevelGroups, summarise, type PolicySummary } from './compare.js';
import type { SimulatorConfig } from './config.js';

export interface Experiment {
  config: SimulatorConfig;
  days: { from: string; to: string };
  baseline: string;
  summaries: PolicySummary[];
}

export function runChicagoExperiment(dir: string, policies: string[], cfg: SimulatorConfig, opts: { B?: number; topkModel?: string } = {}): Experiment {
  const { tensor } = loadStshnBenchmark(dir);
  const truth = dailyTotals(tensor), R = tensor.regions, adj = buildStshnGrid().adjacency;
  const names = ['topk', ...policies.filter((p) => p !== 'topk'), ...(policies.includes('oracle') ? [] : ['oracle'])];
  const runs = names.map((p) => runPolicy(makePolicy(p, opts), truth, R, adj, cfg));
  const iso = (p: number) => new Date(tensor.periodStart[p] + 12 * 3600_000).toISOString().slice(0, 10);
  return {
    config: cfg,
    days: { from: iso(cfg.startDay), to: iso(cfg.startDay + cfg.days - 1) },
    baseline: runs[0].policy,
    summaries: summarise(runs, runs[0].policy, crimeLevelGroups(truth, R, cfg.startDay), { B: opts.B ?? 2000, seed: cfg.seed }),
  };
}
