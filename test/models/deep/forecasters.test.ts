import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../../src/models/deep/forecasters.js';
import { createForecaster } from '../../../src/models/registry.js';
import { loadDeepForecaster, type DeepForecaster } from '../../../src/models/deep/deep-forecaster.js';
import type { SpatialUnits } from '../../../src/space/units.js';
import { tf } from '../../../src/models/deep/backend.js';
import { CATS, COLS, ROWS, correlation, syntheticHistory, trueRate } from './synthetic.js';

const DAYS = 60, R = ROWS * COLS;
const history = syntheticHistory(DAYS);
const tmp = mkdtempSync(join(tmpdir(), 'crimecast-deep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function truth(horizon: number, days = DAYS): Float64Array {
  return Float64Array.from({ length: horizon * R * CATS }, (_, i) => trueRate(days + Math.floor(i / (R * CATS)), Math.floor(i / CATS) % R, i % CATS));
}
function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
/**
 * Each cell's historical mean: what the network's offset alone would forecast, so a model has to learn the
 * weekly cycle from the lags and calendar to beat it.
 */
function cellMeanForecast(h: typeof history, horizon: number): Float64Array {
  const m = new Float64Array(R * CATS), T = h.tensor.periods;
  for (let i = 0; i < h.tensor.data.length; i++) m[i % (R * CATS)] += h.tensor.data[i] / T;
  return Float64Array.from({ length: horizon * R * CATS }, (_, i) => m[i % (R * CATS)]);
}

const SMALL = 'epochs=8,validation=10';
// ST-ResNet's per-cell fusion maps and calendar head need more than 60 days not to overfit
const MODELS: [string, number][] = [['mlp', 60], ['lstm', 60], ['gru', 60], ['cnn', 60], ['convlstm', 60], ['st-resnet:period=1,trend=1', 150], ['gnn', 60]];

describe('deep forecasters on a synthetic 6×6 city', () => {
  it.each(MODELS)('%s learns the pattern and beats the per-cell historical mean (%i days)', async (spec, days) => {
    const h = days === DAYS ? history : syntheticHistory(days);
    const f = createForecaster(`${spec}${spec.includes(':') ? ',' : ':'}${SMALL}`);
    await f.fit(h, { seed: 3 });
    const fc = await f.predict(h, 2);
    expect(fc.mean.length).toBe(2 * R * CATS);
    expect(fc.dist.family).toBe('negbin');
    const y = truth(2, days);
    expect(correlation(fc.mean, y)).toBeGreaterThan(0.8);
    expect(mse(fc.mean, y)).toBeLessThan(0.8 * mse(cellMeanForecast(h, 2), y));
  }, 30_000);

  it('grid models refuse irregular units with a clear message; gnn takes them', async () => {
    const irregular: SpatialUnits = { ...history.units!, kind: 'polygons', lattice: undefined };
    const h = { ...history, units: irregular };
    await expect(createForecaster(`cnn:${SMALL}`).fit(h)).rejects.toThrow(/regular grid.*gnn/s);
    await expect(createForecaster(`st-resnet:${SMALL}`).fit(h)).rejects.toThrow(/regular grid/);
    const g = createForecaster(`gnn:${SMALL}`);
    await g.fit(h, { seed: 1 });
    expect(correlation((await g.predict(h, 1)).mean, truth(1))).toBeGreaterThan(0.8);
  }, 30_000);

  it('bce on 0/1 data gives Bernoulli forecasts that track P(y ≥ 1)', async () => {
    const data = Float32Array.from(history.tensor.data, (v) => (v > 0 ? 1 : 0));
    const h = { ...history, tensor: { ...history.tensor, data } };
    const f = createForecaster(`gnn:${SMALL},loss=bce,posWeight=1`);
    await f.fit(h, { seed: 4 });
    const fc = await f.predict(h, 1);
    expect(fc.dist.family).toBe('bernoulli');
    expect(Math.min(...fc.mean)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fc.mean)).toBeLessThanOrEqual(1);
    expect(correlation(fc.mean, Array.from(truth(1), (r) => 1 - Math.exp(-r)))).toBeGreaterThan(0.8);
  }, 30_000);

  it('too short a history fails naming the fix', async () => {
    const short = { ...history, tensor: { ...history.tensor, periods: 12, data: history.tensor.data.subarray(0, 12 * R * CATS), periodStart: history.tensor.periodStart.subarray(0, 12) } };
    await expect(createForecaster('lstm:lookback=14').fit(short)).rejects.toThrow(/more history.*lower lookback/);
  });

  it('same seed ⇒ same forecast; another seed ⇒ another', async () => {
    const run = async (seed: number) => {
      const f = createForecaster(`cnn:${SMALL}`);
      await f.fit(history, { seed });
      return (await f.predict(history, 1)).mean;
    };
    const a = await run(5), b = await run(5), c = await run(6);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(mse(a, c)).toBeGreaterThan(0);
  }, 30_000);

  it.each(['cnn', 'st-resnet:period=1,trend=1', 'gnn', 'gru'])('%s: save → load gives identical predictions', async (spec) => {
    const name = spec.split(':')[0];
    const dir = join(tmp, `ckpt-${name}`);
    const f = createForecaster(`${spec}${spec.includes(':') ? ',' : ':'}epochs=3,validation=10,checkpoint=${dir}`) as DeepForecaster;
    await f.fit(history, { seed: 2 });
    const before = await f.predict(history, 2);
    const g = await loadDeepForecaster(dir);
    expect(g.name).toBe(name);
    const after = await g.predict(history, 2);
    expect(Array.from(after.mean)).toEqual(Array.from(before.mean));
    expect(after.dist).toEqual(before.dist);
    await expect(createForecaster('mlp').predict(history, 1)).rejects.toThrow(/before fit/);
  }, 30_000);

  it('fine-tuning from a checkpoint starts from the loaded weights', async () => {
    const dir = join(tmp, 'pretrained-mlp');
    const pre = createForecaster(`mlp:${SMALL},checkpoint=${dir}`) as DeepForecaster;
    await pre.fit(history, { seed: 11 });
    const weights = (m: DeepForecaster) => m.network!.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    // a learning rate too small to move any weight: what is left after fit is the starting point
    const tuned = createForecaster(`mlp:epochs=1,validation=10,learningRate=1e-12,init=${dir}`) as DeepForecaster;
    await tuned.fit(history, { seed: 99 });
    const scratch = createForecaster('mlp:epochs=1,validation=10,learningRate=1e-12') as DeepForecaster;
    await scratch.fit(history, { seed: 99 });
    const p = weights(pre).flat(), t = weights(tuned).flat(), s = weights(scratch).flat();
    expect(mse(p, t)).toBeLessThan(1e-12);
    expect(mse(p, s)).toBeGreaterThan(1e-4);
  }, 30_000);

  it('predict leaves no tensors behind', async () => {
    const f = createForecaster(`gnn:epochs=1,validation=10`);
    await f.fit(history, { seed: 1 });
    await f.predict(history, 1);
    const before = tf.memory().numTensors;
    await f.predict(history, 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});
