import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import { runBacktests } from '../../../src/evaluate/backtest/parallel.js';
import { poissonForecast } from '../../../src/models/distribution.js';
import type { Forecast, Forecaster, History } from '../../../src/models/forecaster.js';
import { incidentTableFromColumns } from '../../../src/data/incident-table.js';
import type { CountTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';
import { tinyTensor } from '../../models/baselines/tiny-tensor.js';

const DAY = 86_400_000;
const P = 12, R = 3, C = 2;
const rng = new Rng(7);
const tensor = tinyTensor(Array.from({ length: P }, () => Array.from({ length: R }, () => Array.from({ length: C }, () => rng.poisson(2)))));

// incidents spread over the periods (shuffled), with their region and category
const n = 60;
const times = Float64Array.from({ length: n }, (_, i) => tensor.periodStart[0] + ((i * 7) % n) * (P * DAY / n) + 1000);
const incidents = incidentTableFromColumns({
  t: times, lat: new Float64Array(n), lon: new Float64Array(n), category: Array.from({ length: n }, (_, i) => `c${i % C}`),
  attrs: { note: Array.from({ length: n }, (_, i) => `row${i}`) },
});
const incidentRegion = Int32Array.from({ length: n }, (_, i) => i % R);
const incidentCategory = Int32Array.from({ length: n }, (_, i) => i % C);
const data = { tensor, incidents, incidentRegion, incidentCategory };

/** Records what it is shown; predicts zeros. */
class Spy implements Forecaster {
  readonly name = 'spy';
  readonly params = {};
  calls: { kind: 'fit' | 'predict'; periods: number; incidents: number; maxT: number; regionLen: number; catLen: number; notes: number }[] = [];
  private log(kind: 'fit' | 'predict', h: History) {
    const inc = h.incidents!;
    let maxT = -Infinity;
    for (let i = 0; i < inc.n; i++) maxT = Math.max(maxT, inc.t[i]);
    this.calls.push({ kind, periods: h.tensor.periods, incidents: inc.n, maxT, regionLen: h.incidentRegion!.length, catLen: h.incidentCategory!.length, notes: inc.attrs!.note.length });
  }
  fit(h: History) { this.log('fit', h); }
  fitted() { return { betweenRefits: 'conditioned' as const }; }
  predict(h: History, horizon: number): Forecast {
    this.log('predict', h);
    return poissonForecast(new Float32Array(horizon * R * C), horizon, R, C);
  }
}

/** Tries every way to read period t from a history that ends before t. */
class Peeker implements Forecaster {
  readonly name = 'peeker';
  readonly params = {};
  fit() {}
  fitted() { return { betweenRefits: 'conditioned' as const }; }
  predict(h: History, horizon: number): Forecast {
    const RC = R * C, d = h.tensor.data;
    // the whole buffer behind the view, from the view's start
    const all = new Float32Array(d.buffer, d.byteOffset, d.buffer.byteLength / 4 - d.byteOffset / 4);
    const mean = new Float32Array(horizon * RC);
    for (let i = 0; i < horizon * RC; i++) mean[i] = all[h.tensor.periods * RC + i] ?? 0;
    return poissonForecast(mean, horizon, R, C);
  }
}

/** Holds the full tensor from construction: the cheat the scoring must be able to see. */
class Oracle implements Forecaster {
  readonly name = 'oracle';
  readonly params = {};
  constructor(private readonly full: CountTensor) {}
  fit() {}
  fitted() { return { betweenRefits: 'conditioned' as const }; }
  predict(h: History, horizon: number): Forecast {
    const RC = R * C, s = h.tensor.periods * RC;
    return poissonForecast(this.full.data.slice(s, s + horizon * RC), horizon, R, C);
  }
}

const mae = (mean: Float32Array, from: number) => {
  let s = 0;
  for (let i = 0; i < mean.length; i++) s += Math.abs(mean[i] - tensor.data[from * R * C + i]);
  return s / mean.length;
};

describe('rolling-origin backtest', () => {
  it('hands each origin exactly t periods and only incidents before the cut-off', async () => {
    const spy = new Spy();
    const res = await runBacktest(data, spy, { testStart: 4, refitEvery: 3 });
    expect(res.fits).toBe(3); // origins 4, 7, 10
    const predicts = spy.calls.filter((c) => c.kind === 'predict');
    expect(predicts.map((c) => c.periods)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(spy.calls.filter((c) => c.kind === 'fit').map((c) => c.periods)).toEqual([4, 7, 10]);
    for (const c of spy.calls) {
      const cutoff = tensor.periodStart[c.periods];
      expect(c.maxT).toBeLessThan(cutoff);
      expect(c.incidents).toBe(times.filter((t) => t < cutoff).length);
      expect(c.regionLen).toBe(c.incidents);
      expect(c.catLen).toBe(c.incidents);
      expect(c.notes).toBe(c.incidents);
    }
  });

  it('a model reading past the end of its view gets nothing from the future', async () => {
    const zero = await runBacktest(data, new Spy(), { testStart: 4 });
    const peek = await runBacktest(data, new Peeker(), { testStart: 4 });
    const oracle = await runBacktest(data, new Oracle(tensor), { testStart: 4 });
    expect(mae(oracle.mean, 4)).toBe(0); // scoring does reward the future when a model truly has it
    expect(mae(peek.mean, 4)).toBeGreaterThan(1);
    expect(Array.from(peek.mean)).toEqual(Array.from(zero.mean)); // the buffer behind the view holds zeros
  });

  it('stores per-period means and P(≥1), scores, and blocks of `horizon` periods', async () => {
    const res = await runBacktest(data, 'persistence', { testStart: 5, horizon: 3 });
    const RC = R * C;
    expect(res.mean.length).toBe(7 * RC);
    // block origins 5 (steps 0..2), 8 (0..2), 11 (0)
    expect(Array.from(res.origin)).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(Array.from(res.step)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    for (let p = 0; p < 7; p++) {
      const last = [4, 4, 4, 7, 7, 7, 10][p];
      for (let i = 0; i < RC; i++) {
        const m = tensor.data[last * RC + i];
        expect(res.mean[p * RC + i]).toBe(m);
        expect(res.pAny[p * RC + i]).toBeCloseTo(1 - Math.exp(-m), 6);
      }
    }
    // log score of period 5 category 0 by hand
    let ls = 0;
    for (let r = 0; r < R; r++) {
      const mu = tensor.data[(4 * R + r) * C], y = tensor.data[(5 * R + r) * C];
      let lf = 0;
      for (let k = 2; k <= y; k++) lf += Math.log(k);
      ls += -Math.max(y * Math.log(mu) - mu - lf, Math.log(1e-12));
    }
    expect(res.logScore[0]).toBeCloseTo(ls, 5);
    expect(res.rps.every((v) => v >= 0)).toBe(true);
  });

  it('is deterministic under a seed and reports progress', async () => {
    class Noisy implements Forecaster {
      readonly name = 'noisy';
      readonly params = {};
      private rng = new Rng(0);
      fit(_h: History, o?: { seed?: number }) { this.rng = new Rng(o?.seed); }
      fitted() { return { betweenRefits: 'conditioned' as const }; }
      predict(_h: History, horizon: number): Forecast {
        return poissonForecast(Float32Array.from({ length: horizon * R * C }, () => this.rng.random()), horizon, R, C);
      }
    }
    const steps: number[] = [];
    const a = await runBacktest(data, new Noisy(), { testStart: 6, seed: 3, onProgress: (d, t) => steps.push(d / t) });
    const b = await runBacktest(data, new Noisy(), { testStart: 6, seed: 3 });
    const c = await runBacktest(data, new Noisy(), { testStart: 6, seed: 4 });
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    expect(Array.from(a.mean)).not.toEqual(Array.from(c.mean));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6].map((k) => k / 6));
  });

  it('rejects a test span without history', async () => {
    await expect(runBacktest(data, 'persistence', { testStart: 0 })).rejects.toThrow(/at least one history period/);
  });

  it('runs several models, in-process when no compiled worker is available', async () => {
    const done = new Set<number>();
    const [a, b] = await runBacktests(data, ['persistence', 'moving-average:window=3'], {
      testStart: 8, workers: 2, workerPath: '/nonexistent/worker.js', onModelProgress: (m) => done.add(m),
    });
    expect(a.spec).toBe('persistence');
    expect(b.name).toBe('moving-average');
    expect([...done].sort()).toEqual([0, 1]);
    const solo = await runBacktest(data, 'moving-average:window=3', { testStart: 8 });
    expect(Array.from(b.mean)).toEqual(Array.from(solo.mean));
  });
});
