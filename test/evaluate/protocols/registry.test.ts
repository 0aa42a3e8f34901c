import { describe, expect, it } from 'vitest';
import { listProtocols, runProtocol } from '../../../src/evaluate/protocols/index.js';
import { FieldLayout } from '../../../src/evaluate/protocols/field-layout.js';
import { summarise, perPeriod, ratio } from '../../../src/evaluate/protocols/summarise.js';
import type { BacktestResult } from '../../../src/evaluate/backtest/engine.js';

describe('protocol registry', () => {
  it('lists the published protocols and rejects unknown names', async () => {
    const names = listProtocols().map((p) => p.name);
    for (const n of ['crimeforecaster', 'nij-portland', 'st-hsl', 'st-shn', 'chicago-grid250-day', 'chicago-h3-9-week']) {
      expect(names).toContain(n);
    }
    expect([...names].sort()).toEqual(names);
    await expect(runProtocol('nope', ['persistence'])).rejects.toThrow(/unknown protocol "nope"/);
    await expect(runProtocol('st-hsl', [])).rejects.toThrow(/at least one model/);
  });
});

describe('summarise', () => {
  // fake models over P periods; metric = Σ err / Σ n
  const fitted = { betweenRefits: 'conditioned' as const, fits: 1, updates: 0, frozenOrigins: 0, origins: 1 };
  const fake = (spec: string, err: number[], extra: Partial<BacktestResult> = {}): BacktestResult => ({
    spec, name: spec, params: {}, testStart: 0, testEnd: err.length, regions: 1, categories: 1,
    mean: Float32Array.from(err), pAny: new Float32Array(err.length), logScore: new Float64Array(err.length), rps: new Float64Array(err.length),
    family: 'poisson', origin: new Int32Array(err.length), step: new Int32Array(err.length), fits: 1, updates: 0, fitMs: 0, updateMs: 0, predictMs: 0,
    fitted, ...extra,
  });
  const layout = new FieldLayout();
  const e = layout.add('err'), n = layout.add('n');
  const contrib = (res: BacktestResult) => perPeriod(res, layout.K, (row, p) => { row[e] = res.mean[p]; row[n] = 2; });
  const mae = [{ name: 'mae', better: 'lower' as const, stat: ratio(e, n) }];
  const a12 = Array.from({ length: 12 }, (_, p) => 1 + (p % 4));
  it('gives the pooled ratio, a bracketing bootstrap interval and the paired difference', () => {
    const out = summarise([fake('a', a12), fake('b', a12.map((v) => v + 1))], layout.K, contrib, mae, { bootstrap: 300, seed: 5 });
    expect(out.reference).toBe('a');
    const [a, b] = out.models;
    expect(a.metrics.mae.value).toBeCloseTo(30 / 24, 12);
    expect(a.metrics.mae.lo).toBeLessThan(30 / 24);
    expect(a.metrics.mae.hi).toBeGreaterThan(30 / 24);
    expect(a.metrics.mae.vsReference).toBeUndefined();
    // b is worse by exactly 0.5 in every period, so every resample shows +0.5
    expect(b.metrics.mae.vsReference!.diff).toBeCloseTo(0.5, 12);
    expect(b.metrics.mae.vsReference!.lo).toBeCloseTo(0.5, 12);
    expect(b.metrics.mae.vsReference!.p).toBe(0);
    expect(b.worseThanReference).toEqual(['mae']);
    expect(a.worseThanReference).toEqual([]);
    expect(Array.from(b.lastPeriodRisk)).toEqual([5]);
    expect(out.notes[0]).toMatch(/300 bootstrap resamples of the 12 test periods drawn independently/);
  });
  it('gives no interval, p-value or "worse" mark with fewer than 10 test periods, and says so', () => {
    const out = summarise([fake('a', [1, 2, 3, 4]), fake('b', [2, 3, 4, 5])], layout.K, contrib, mae, { bootstrap: 300, seed: 5 });
    const [a, b] = out.models;
    expect(a.metrics.mae.value).toBeCloseTo(10 / 8, 12);
    expect(Number.isNaN(a.metrics.mae.lo) && Number.isNaN(a.metrics.mae.hi)).toBe(true);
    expect(b.metrics.mae.vsReference!.diff).toBeCloseTo(0.5, 12);
    expect(Number.isNaN(b.metrics.mae.vsReference!.p)).toBe(true);
    expect(b.worseThanReference).toEqual([]);
    expect(out.notes[0]).toMatch(/Only 4 test periods .* no CIs or p-values/);
  });
  it('a circular block bootstrap widens the interval of a serially dependent series', () => {
    // runs of 6 equal periods: independent draws understate the spread that blocks keep
    const runs = Array.from({ length: 60 }, (_, p) => (Math.floor(p / 6) % 2 ? 3 : 1));
    const width = (block?: number | 'auto') => {
      const m = summarise([fake('a', runs)], layout.K, contrib, mae, { bootstrap: 2000, seed: 3, block }).models[0].metrics.mae;
      return m.hi - m.lo;
    };
    expect(width(6)).toBeGreaterThan(1.5 * width());
    expect(summarise([fake('a', runs)], layout.K, contrib, mae, { bootstrap: 50, block: 'auto' }).notes[0]).toMatch(/circular blocks of 4/);
  });
  it('carries fit warnings and an in-process note to the model report', () => {
    const mixed = { ...fitted, parts: [{ model: 'ets', count: 32, of: 672 }, { model: 'ingarch', count: 640, of: 672 }], fallbacks: [{ what: 'INGARCH count model instead of ets', reason: 'series mean below 3', count: 640, of: 672 }] };
    const out = summarise([fake('a', a12, { fitted: mixed, ranIn: 'ran in-process: why' })], layout.K, contrib, mae, { bootstrap: 50 });
    const w = out.models[0].warnings;
    expect(w[0]).toBe('fallback on 95% (640 of 672): INGARCH count model instead of ets — series mean below 3');
    expect(w[1]).toMatch(/^mixture of models: ingarch 95% \(640 of 672\), ets 4\.8% \(32 of 672\)/);
    expect(w[2]).toBe('ran in-process: why');
  });
  it('refuses a reference that was not run', () => {
    expect(() => summarise([fake('a', [1, 1, 1, 1])], 1, () => new Float64Array(4), [], { reference: 'zzz' })).toThrow(/reference model zzz/);
  });
});
