/** A simulated gamma–Poisson crime field on a small grid: smooth neighbourhood rates, cell rates drawn around them. */
import { buildGrid, type GridUnits } from '../../../src/space/grid.js';
import { createTensor, type CountTensor } from '../../../src/tensor/count-tensor.js';
import { Rng } from '../../../src/util/rng.js';

export const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 6); // a Monday

export interface Field {
  units: GridUnits;
  /** True rate per period of each cell (one category). */
  rate: Float64Array;
  /** Smooth neighbourhood mean the rates were drawn around. */
  mean: Float64Array;
  tensor: CountTensor;
}

/** side × side cells of 100 m; rates ~ Gamma(shape, mean = smooth bump field); `periods` daily Poisson counts. */
export function gammaPoissonField(side: number, periods: number, shape: number, seed: number, level = 0.05): Field {
  const units = buildGrid({ cell: 100, bbox: { minLat: 41.8, minLon: -87.7, maxLat: 41.8 + side * 0.0009, maxLon: -87.7 + side * 0.0012 } });
  const R = units.n, rng = new Rng(seed);
  const rows = units.lattice!.rows, cols = units.lattice!.cols;
  const mean = new Float64Array(R), rate = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const y = Math.floor(r / cols) / rows, x = (r % cols) / cols;
    mean[r] = level * (0.2 + 3 * Math.exp(-((x - 0.3) ** 2 + (y - 0.3) ** 2) / 0.02) + 1.5 * Math.exp(-((x - 0.75) ** 2 + (y - 0.6) ** 2) / 0.05));
    rate[r] = rng.gamma(shape, mean[r] / shape);
  }
  const data = new Float32Array(periods * R);
  for (let p = 0; p < periods; p++) for (let r = 0; r < R; r++) data[p * R + r] = rng.poisson(rate[r]);
  const tensor = createTensor({
    periods, regions: R, categories: 1, categoryNames: ['all'], regionIds: units.ids,
    periodStart: Float64Array.from({ length: periods }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'UTC',
  }, data);
  return { units, rate, mean, tensor };
}

/** Share of the true rate captured by the top `k` cells of `score`. */
export function capturedRate(score: ArrayLike<number>, rate: Float64Array, k: number): number {
  const order = Array.from(rate, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let top = 0, all = 0;
  for (let i = 0; i < rate.length; i++) all += rate[i];
  for (let i = 0; i < k; i++) top += rate[order[i]];
  return top / all;
}
