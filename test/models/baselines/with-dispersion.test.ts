import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { createForecaster } from '../../../src/models/registry.js';
import { WithOneStepDispersion } from '../../../src/models/baselines/with-dispersion.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import { tinyTensor } from './tiny-tensor.js';

const bursty = tinyTensor([0, 0, 10, 0, 0, 12, 0, 0, 9, 0, 0, 11, 0, 0, 8].map((v) => [[v]]));

describe('WithOneStepDispersion (issue #12 for any model)', () => {
  it('matches the built-in negbin option of a mean baseline', async () => {
    const wrapped = new WithOneStepDispersion(createForecaster('moving-average:window=3'), 9);
    const builtin = createForecaster('moving-average:window=3,dist=negbin,dispersionPeriods=9');
    await wrapped.fit({ tensor: bursty });
    await builtin.fit({ tensor: bursty });
    const a = await wrapped.predict({ tensor: bursty }, 2), b = await builtin.predict({ tensor: bursty }, 2);
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    if (a.dist.family !== 'negbin' || b.dist.family !== 'negbin') throw new Error('expected negbin');
    expect(a.dist.size[0]).toBeCloseTo(b.dist.size[0], 5);
    expect(wrapped.params).toMatchObject({ window: 3, dist: 'negbin', dispersionPeriods: 9 });
  });

  it('improves the log score of a Poisson mean on over-dispersed counts, leaving the means alone', async () => {
    const pois = await runBacktest({ tensor: bursty }, 'moving-average:window=3', { testStart: 9 });
    const nb = await runBacktest({ tensor: bursty }, new WithOneStepDispersion(createForecaster('moving-average:window=3'), 6), { testStart: 9 });
    expect(Array.from(nb.mean)).toEqual(Array.from(pois.mean));
    expect(nb.family).toBe('negbin');
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(nb.logScore)).toBeLessThan(sum(pois.logScore));
  });

  it('leaves forecasts that already carry a distribution untouched', async () => {
    const w = new WithOneStepDispersion(createForecaster('occurrence-rate:window=3'), 5);
    await w.fit({ tensor: bursty });
    expect((await w.predict({ tensor: bursty }, 1)).dist.family).toBe('bernoulli');
  });
});
