/**
 * Policy comparison on the simulator: mean crimes covered / prevented per day with percentile-bootstrap CIs over
 * days, paired bootstrap differences against the static top-k baseline (same days resampled for both), and how
 * concentrated the patrols were: Gini of patrol-days over cells and the share of patrol-days by crime-level group.
 */
import { bootstrapMeanCI, pairedBootstrap, type ConfidenceInterval, type PairedComparison } from '../../evaluate/uncertainty.js';
import type { PolicyRun } from './run.js';

/** Gini coefficient of non-negative values (0 = equal, → 1 = all on one). */
export function gini(values: ArrayLike<number>): number {
  const v = Float64Array.from(values).sort();
  const n = v.length;
  let cum = 0, weighted = 0;
  for (let i = 0; i < n; i++) { cum += v[i]; weighted += (i + 1) * v[i]; }
  return cum === 0 ? 0 : (2 * weighted) / (n * cum) - (n + 1) / n;
}

export interface PolicySummary {
  policy: string;
  coveredPerDay: ConfidenceInterval;
  preventedPerDay: ConfidenceInterval;
  /** Share of all (counterfactual) crime that happened in patrolled cells. */
  coveredShare: number;
  /** Paired difference in covered crimes per day against the baseline (absent for the baseline itself). */
  coveredVsBaseline?: PairedComparison;
  preventedVsBaseline?: PairedComparison;
  giniPatrolDays: number;
  distinctCells: number;
  /** Share of patrol-days by group (e.g. crime-level quartile). */
  groupShare: Record<string, number>;
}

export function summarise(runs: PolicyRun[], baseline: string, groups: { names: string[]; of: Int32Array }, opts: { B?: number; seed?: number } = {}): PolicySummary[] {
  const base = runs.find((r) => r.policy === baseline);
  const mean = (x: Float64Array) => (t: Float64Array) => t[0] / x.length;
  return runs.map((r) => {
    const totalCovered = r.covered.reduce((a, b) => a + b, 0), totalCrime = r.total.reduce((a, b) => a + b, 0);
    const groupShare: Record<string, number> = {};
    const days = r.patrolDays.reduce((a, b) => a + b, 0);
    groups.names.forEach((g) => { groupShare[g] = 0; });
    r.patrolDays.forEach((n, cell) => { groupShare[groups.names[groups.of[cell]]] += n / days; });
    const s: PolicySummary = {
      policy: r.policy,
      coveredPerDay: bootstrapMeanCI(r.covered, opts),
      preventedPerDay: bootstrapMeanCI(r.prevented, opts),
      coveredShare: totalCovered / totalCrime,
      giniPatrolDays: gini(r.patrolDays),
      distinctCells: r.patrolDays.reduce((a, v) => a + (v > 0 ? 1 : 0), 0),
      groupShare,
    };
    if (base && r !== base) {
      s.coveredVsBaseline = pairedBootstrap(r.covered, base.covered, 1, mean(r.covered), opts);
      s.preventedVsBaseline = pairedBootstrap(r.prevented, base.prevented, 1, mean(r.prevented), opts);
    }
    return s;
  });
}

/** Crime-level groups from history: cells with no crime, then quartiles of the rest by mean daily count. */
export function crimeLevelGroups(history: Float64Array, regions: number, days: number): { names: string[]; of: Int32Array } {
  const mean = new Float64Array(regions);
  for (let d = 0; d < days; d++) for (let r = 0; r < regions; r++) mean[r] += history[d * regions + r] / days;
  const active = Array.from(mean).filter((v) => v > 0).sort((a, b) => a - b);
  const q = [0.25, 0.5, 0.75].map((p) => active[Math.floor(p * active.length)] ?? 0);
  const of = new Int32Array(regions);
  mean.forEach((v, r) => { of[r] = v === 0 ? 0 : 1 + (v < q[0] ? 0 : v < q[1] ? 1 : v < q[2] ? 2 : 3); });
  return { names: ['no-crime', 'Q1-low', 'Q2', 'Q3', 'Q4-high'], of };
}
