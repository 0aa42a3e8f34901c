import { describe, expect, it } from 'vitest';
import '../../../src/models/deep/forecasters.js';
import { createForecaster } from '../../../src/models/registry.js';
import { quantiseValues } from '../../../src/models/deep/quantise.js';
import type { DeepForecaster } from '../../../src/models/deep/deep-forecaster.js';
import { Rng } from '../../../src/util/rng.js';
import { syntheticHistory } from './synthetic.js';

describe('post-training weight quantisation', () => {
  const rng = new Rng(4);
  const shape = [3, 3, 4, 5];
  const w = Float32Array.from({ length: 180 }, (_, i) => rng.normal() * (1 + (i % 5))); // channel c has scale 1 + c

  it('int8: per-channel error at most half a step, and 255 levels at most per channel', () => {
    const q = quantiseValues(w, shape, 'int8');
    for (let c = 0; c < 5; c++) {
      let max = 0;
      for (let i = c; i < w.length; i += 5) max = Math.max(max, Math.abs(w[i]));
      const step = max / 127;
      const levels = new Set<number>();
      for (let i = c; i < w.length; i += 5) {
        expect(Math.abs(q[i] - w[i])).toBeLessThanOrEqual(step / 2 + 1e-6);
        levels.add(Math.round(q[i] / step));
      }
      expect(Math.max(...[...levels].map(Math.abs))).toBe(127); // the largest weight maps to ±127
    }
  });

  it('ternary: three values −α, 0, +α with α the mean magnitude above 0.7·mean|w|', () => {
    const q = quantiseValues(w, shape, 'ternary');
    const values = [...new Set(Array.from(q))].sort((a, b) => a - b);
    expect(values.length).toBe(3);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeCloseTo(-values[0], 6);
    const meanAbs = w.reduce((s, v) => s + Math.abs(v), 0) / w.length;
    const big = Array.from(w).filter((v) => Math.abs(v) > 0.7 * meanAbs);
    expect(values[2]).toBeCloseTo(big.reduce((s, v) => s + Math.abs(v), 0) / big.length, 5);
  });

  it('an int8-quantised CNN forecasts almost what the float one does; ternary moves further', async () => {
    const h = syntheticHistory();
    const run = async (mode: string) => {
      const f = createForecaster(`cnn:epochs=6,validation=10,quantise=${mode}`) as DeepForecaster;
      await f.fit(h, { seed: 8 });
      return { mean: (await f.predict(h, 1)).mean, rep: f.quantisation };
    };
    const base = await run('none'), int8 = await run('int8'), tern = await run('ternary');
    expect(base.rep).toBeNull();
    expect(int8.rep!.quantisedBytes).toBeLessThan(int8.rep!.floatBytes / 3);
    const relDiff = (a: Float32Array, b: Float32Array) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]) / Math.max(b[i], 1e-3)));
    expect(relDiff(int8.mean, base.mean)).toBeLessThan(0.03);
    expect(relDiff(int8.mean, base.mean)).toBeGreaterThan(0); // the weights did change
    expect(relDiff(tern.mean, base.mean)).toBeGreaterThan(relDiff(int8.mean, base.mean));
  }, 30_000);
});
