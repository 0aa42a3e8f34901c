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
  // two fake models over 4 periods; metric = Σ err / Σ n
  const fake = (spec: string, err: number[]): BacktestResult => ({
    spec, name: spec, params: {}, testStart: 0, testEnd: 4, regions: 1, categories: 1,
    mean: Float32Array.from(err), pAny: new Float32Array(4), logScore: new Float64Array(4), rps: new Float64Array(4),
    family: 'poisson', origin: new Int32Array(4), step: new Int32Array(4), fits: 1, fitMs: 0, predictMs: 0,
  });
  it('gives the pooled ratio, a bracketing bootstrap interval and the paired difference', () => {
    const layout = new FieldLayout();
    const e = layout.add('err'), n = layout.add('n');
    const contrib = (res: BacktestResult) => perPeriod(res, layout.K, (row, p) => { row[e] = res.mean[p]; row[n] = 2; });
    const out = summarise([fake('a', [1, 2, 3, 4]), fake('b', [2, 3, 4, 5])], layout.K, contrib,
      [{ name: 'mae', better: 'lower', stat: ratio(e, n) }], { bootstrap: 300, seed: 5 });
    expect(out.reference).toBe('a');
    const [a, b] = out.models;
    expect(a.metrics.mae.value).toBeCloseTo(10 / 8, 12);
    expect(a.metrics.mae.lo).toBeLessThanOrEqual(10 / 8);
    expect(a.metrics.mae.hi).toBeGreaterThanOrEqual(10 / 8);
    expect(a.metrics.mae.vsReference).toBeUndefined();
    // b is worse by exactly 0.5 in every period, so every resample shows +0.5
    expect(b.metrics.mae.vsReference!.diff).toBeCloseTo(0.5, 12);
    expect(b.metrics.mae.vsReference!.lo).toBeCloseTo(0.5, 12);
    expect(b.metrics.mae.vsReference!.p).toBe(0);
    expect(Array.from(b.lastPeriodRisk)).toEqual([5]);
  });
  it('refuses a reference that was not run', () => {
    expect(() => summarise([fake('a', [1, 1, 1, 1])], 1, () => new Float64Array(4), [], { reference: 'zzz' })).toThrow(/reference model zzz/);
  });
});
