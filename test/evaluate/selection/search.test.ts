import { describe, expect, it } from 'vitest';
import '../../../src/models/all.js';
import { paramSpace, parseParamRange, sampleDistinct } from '../../../src/evaluate/selection/param-space.js';
import { halvingSchedule, randomSearch, successiveHalving } from '../../../src/evaluate/selection/search.js';
import type { Trial, TrialExecutor, TrialResult } from '../../../src/evaluate/selection/executor.js';
import { LocalExecutor } from '../../../src/evaluate/selection/local-executor.js';
import { Rng } from '../../../src/util/rng.js';
import { spyLog, syntheticTensor } from '../../models/ensemble/synthetic.js';

/** Known response: ((window − 23)/3)² plus noise whose sd shrinks as 0.1/√periods, deterministic per trial. */
class ResponseExecutor implements TrialExecutor {
  batches: Trial[][] = [];
  async runTrials(trials: Trial[]): Promise<TrialResult[]> {
    this.batches.push(trials);
    // answer in reverse order: the search must match results by id
    return [...trials].reverse().map((t) => {
      const w = Number(/window=(\d+)/.exec(t.spec)![1]);
      const noise = new Rng(w * 1000 + t.periods).normal(0, 0.1 / Math.sqrt(t.periods));
      return { id: t.id, spec: t.spec, periods: t.periods, score: ((w - 23) / 3) ** 2 + noise, seconds: 0 };
    });
  }
}

describe('parameter spaces', () => {
  it('parses integer, real, log and choice ranges', () => {
    expect(parseParamRange('window=7..60')).toEqual({ key: 'window', kind: 'int', lo: 7, hi: 60, log: false });
    expect(parseParamRange('lambda=1e-4..1:log')).toEqual({ key: 'lambda', kind: 'real', lo: 1e-4, hi: 1, log: true });
    expect(parseParamRange('dist=poisson|negbin')).toEqual({ key: 'dist', kind: 'choice', values: ['poisson', 'negbin'] });
    const space = paramSpace('moving-average:dist=negbin', [parseParamRange('window=7..60')]);
    const specs = sampleDistinct(space, 40, new Rng(1));
    expect(specs.length).toBe(40);
    for (const s of specs) {
      const w = Number(/^moving-average:dist=negbin,window=(\d+)$/.exec(s)![1]);
      expect(w).toBeGreaterThanOrEqual(7);
      expect(w).toBeLessThanOrEqual(60);
    }
    // a space smaller than the budget is enumerated
    expect(sampleDistinct(paramSpace('moving-average', [parseParamRange('window=3..5')]), 40, new Rng(1)).sort())
      .toEqual(['moving-average:window=3', 'moving-average:window=4', 'moving-average:window=5']);
  });

  it('rejects bad ranges with a clear message', () => {
    expect(() => parseParamRange('window')).toThrow(/expected key=range/);
    expect(() => parseParamRange('window=60..7')).toThrow(/lower bound must be below/);
    expect(() => parseParamRange('window=a..b')).toThrow(/must be numbers/);
    expect(() => parseParamRange('lambda=0..1:log')).toThrow(/positive lower bound/);
    expect(() => paramSpace('moving-average', [parseParamRange('windw=7..60')])).toThrow(/no parameter "windw". Its parameters: window/);
    expect(() => paramSpace('moving-average', [parseParamRange('window=0..10')])).toThrow(/value 0 is not valid for moving-average/);
    expect(() => paramSpace('moving-average:window=5', [parseParamRange('window=7..60')])).toThrow(/both fixed/);
    expect(() => paramSpace('moving-average', [])).toThrow(/at least one --param/);
  });
});

describe('searches', () => {
  it('successive halving finds the optimum of a known response at a fraction of random search\'s cost', async () => {
    const space = paramSpace('moving-average', [parseParamRange('window=1..54')]);
    expect(halvingSchedule(54, 54, 2, 3)).toEqual([2, 6, 18, 54]);
    const ex = new ResponseExecutor();
    const sh = await successiveHalving(space, { budget: 54, maxPeriods: 54, minPeriods: 2, eta: 3, executor: ex });
    expect(sh.best.spec).toBe('moving-average:window=23');
    expect(sh.rungs).toEqual([{ configs: 54, periods: 2 }, { configs: 18, periods: 6 }, { configs: 6, periods: 18 }, { configs: 2, periods: 54 }]);
    const rs = await randomSearch(space, { budget: 54, maxPeriods: 54, executor: new ResponseExecutor() });
    expect(rs.best.spec).toBe('moving-average:window=23');
    expect(sh.periodsScored).toBe(54 * 2 + 18 * 6 + 6 * 18 + 2 * 54);
    expect(sh.periodsScored / rs.periodsScored).toBeLessThan(0.2);
  });

  it('scores trials on validation periods only: no trial ever sees the test span (spy model)', async () => {
    const tensor = syntheticTensor(160, 10, 1, () => 2, 21);
    const valEnd = 130;
    spyLog.length = 0;
    const ex = new LocalExecutor({ data: { tensor }, valEnd, metric: 'logscore', refitEvery: 7 });
    const res = await ex.runTrials([
      { id: 0, spec: 'test-spy', periods: 20 },
      { id: 1, spec: 'moving-average:window=14', periods: 20 },
      { id: 2, spec: 'moving-average:window=0', periods: 5 },
    ]);
    expect(spyLog[0]).toEqual({ kind: 'fit', periods: 110 });
    expect(Math.max(...spyLog.map((e) => e.periods))).toBe(valEnd - 1);
    expect(spyLog.filter((e) => e.kind === 'predict').length).toBe(20);
    expect(res.map((r) => r.id)).toEqual([0, 1, 2]);
    expect(res[1].score).toBeGreaterThan(1.3); // log score of Poisson(2) data is ≈ 1.7 per cell
    expect(res[1].score).toBeLessThan(2.2);
    expect(res[2].score).toBe(Infinity); // an invalid configuration fails alone, with its reason
    expect(res[2].error).toMatch(/invalid parameters/);
    await expect(ex.runTrials([{ id: 3, spec: 'test-spy', periods: 130 }])).rejects.toThrow(/do not fit before period 130/);
  });

  it('tunes a real model end to end: a stationary series prefers long moving-average windows', async () => {
    const tensor = syntheticTensor(200, 100, 1, (_p, r) => 0.5 + (r % 20) * 0.2, 22);
    const ex = new LocalExecutor({ data: { tensor }, valEnd: 170, metric: 'deviance', refitEvery: 7 });
    const space = paramSpace('moving-average', [parseParamRange('window=2..60')]);
    const sh = await successiveHalving(space, { budget: 12, maxPeriods: 28, minPeriods: 7, eta: 3, executor: ex, seed: 2 });
    expect(sh.rungs).toEqual([{ configs: 12, periods: 9 }, { configs: 4, periods: 28 }]);
    expect(sh.best.periods).toBe(28);
    // estimation noise of a w-period mean adds ≈ λ/w to the error: short windows lose
    expect(Number(/window=(\d+)/.exec(sh.best.spec)![1])).toBeGreaterThanOrEqual(20);
    const [short] = await ex.runTrials([{ id: 99, spec: 'moving-average:window=3', periods: 28 }]);
    expect(sh.best.score).toBeLessThan(short.score - 0.05);
  });
});
