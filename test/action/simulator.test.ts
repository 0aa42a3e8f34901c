import { describe, expect, it } from 'vitest';
import { loadStshnBenchmark } from '../../src/tensor/stshn.js';
import { buildStshnGrid } from '../../src/space/stshn-grid.js';
import { adjacencyFromLists } from '../../src/space/units.js';
import { dailyTotals, runPolicy } from '../../src/action/simulator/run.js';
import { makePolicy } from '../../src/action/simulator/policies.js';
import { crimeLevelGroups, gini, summarise } from '../../src/action/simulator/compare.js';
import { DEFAULT_SIMULATOR_CONFIG, type SimulatorConfig } from '../../src/action/simulator/config.js';
import { simulateDay } from '../../src/action/simulator/environment.js';
import { ThompsonPolicy } from '../../src/action/bandit/thompson.js';
import { Rng } from '../../src/util/rng.js';
import { hasShared, sharedPath } from '../helpers.js';

const STSHN = 'stshn-chicago-2016-2017/tensors_npy';

describe('simulator mechanics', () => {
  const line = adjacencyFromLists([[1], [0, 2], [1]]);
  const cfg: SimulatorConfig = { ...DEFAULT_SIMULATOR_CONFIG, k: 1, startDay: 1, days: 1 };

  it('deterrence removes crime only where patrolled and displacement moves it next door', () => {
    const rng = new Rng(1);
    let prevented = 0, moved = 0;
    for (let t = 0; t < 200; t++) {
      const out = simulateDay([0, 50, 0], Uint8Array.of(0, 1, 0), line, { ...cfg, deterrence: 0.4, displacement: 0.5 }, rng);
      expect(out.covered).toBe(50);
      expect(out.realised[0] + out.realised[1] + out.realised[2]).toBe(50 - out.prevented);
      prevented += out.prevented; moved += out.realised[0] + out.realised[2];
      expect(Array.from(out.observed)).toEqual(Array.from(out.realised));
    }
    // E[net prevented] = 50·0.4·0.5 = 10, E[moved] = 10
    expect(prevented / 200).toBeGreaterThan(9);
    expect(prevented / 200).toBeLessThan(11);
    expect(moved / 200).toBeGreaterThan(9);
    expect(moved / 200).toBeLessThan(11);
  });

  it('semi-bandit observation hides unpatrolled cells', () => {
    const out = simulateDay([3, 4, 5], Uint8Array.of(0, 1, 0), line, { ...cfg, deterrence: 0, observe: 'patrolled' }, new Rng(2));
    expect(Number.isNaN(out.observed[0])).toBe(true);
    expect(out.observed[1]).toBe(4);
    expect(out.prevented).toBe(0);
  });

  it('Gini is 0 for equal allocations and (n−1)/n for one cell', () => {
    expect(gini([3, 3, 3, 3])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 0, 8])).toBeCloseTo(0.75, 12);
  });

  it('Thompson sampling finds the high-rate cells of a stationary Poisson world from scratch', () => {
    const R = 30, D = 301, rng = new Rng(3);
    const rates = Array.from({ length: R }, (_, r) => (r % 10 === 0 ? 4 : 0.5 + 0.05 * r));
    const truth = new Float64Array(D * R);
    for (let d = 0; d < D; d++) for (let r = 0; r < R; r++) truth[d * R + r] = rng.poisson(rates[r]);
    const adj = adjacencyFromLists(Array.from({ length: R }, () => []));
    const c: SimulatorConfig = { ...DEFAULT_SIMULATOR_CONFIG, k: 3, deterrence: 0, displacement: 0, startDay: 1, days: 300 };
    const run = runPolicy(new ThompsonPolicy(1), truth, R, adj, c);
    // the three rate-4 cells (0, 10, 20) get the large majority of the 900 patrol-days
    expect(run.patrolDays[0] + run.patrolDays[10] + run.patrolDays[20]).toBeGreaterThan(750);
  });
});

describe.runIf(hasShared(STSHN))('policies on the Chicago-driven simulator', () => {
  const { tensor } = loadStshnBenchmark(sharedPath(STSHN));
  const truth = dailyTotals(tensor), R = tensor.regions, adj = buildStshnGrid().adjacency;
  const cfg: SimulatorConfig = { ...DEFAULT_SIMULATOR_CONFIG, startDay: 639, days: 92 };
  const runs = ['topk', 'thompson', 'linucb', 'qlearn', 'oracle'].map((p) => runPolicy(makePolicy(p), truth, R, adj, cfg));
  const summary = summarise(runs, runs[0].policy, crimeLevelGroups(truth, R, 639), { B: 500 });
  const by = Object.fromEntries(summary.map((s) => [s.policy.startsWith('topk') ? 'topk' : s.policy, s]));

  it('ranks the oracle above every policy and the static top-k above ε-greedy Q-learning', () => {
    for (const p of ['topk', 'thompson', 'linucb', 'qlearn']) expect(by.oracle.coveredPerDay.estimate).toBeGreaterThan(by[p].coveredPerDay.estimate);
    expect(by.qlearn.coveredVsBaseline!.hi).toBeLessThan(0);
    // top-k of a 30-day moving average covers about a third of Chicago's daily crime with 10 of 168 cells
    expect(by.topk.coveredShare).toBeGreaterThan(0.28);
    expect(by.topk.coveredShare).toBeLessThan(0.4);
    expect(by.topk.coveredPerDay.lo).toBeLessThan(by.topk.coveredPerDay.estimate);
  });

  it('net prevention ≈ deterrence × (1 − displacement) × covered', () => {
    for (const s of summary) {
      const ratio = s.preventedPerDay.estimate / s.coveredPerDay.estimate;
      expect(ratio).toBeGreaterThan(0.3 * 0.8 - 0.02);
      expect(ratio).toBeLessThan(0.3 * 0.8 + 0.02);
    }
  });

  it('patrols concentrate on the highest-crime quartile; exploration spreads them', () => {
    expect(by.topk.groupShare['Q4-high']).toBeGreaterThan(0.95);
    expect(by.topk.giniPatrolDays).toBeGreaterThan(0.85);
    expect(by.qlearn.distinctCells).toBeGreaterThan(by.topk.distinctCells);
  });

  it('is deterministic under the seed', () => {
    const again = runPolicy(makePolicy('thompson'), truth, R, adj, cfg);
    expect(Array.from(again.covered)).toEqual(Array.from(runs[1].covered));
  });
});
