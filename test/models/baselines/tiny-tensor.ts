/** A small hand-checkable tensor for baseline and backtest tests. */
import { createTensor, type CountTensor } from '../../../src/tensor/count-tensor.js';

const DAY = 86_400_000;

/** periods × regions × categories from nested arrays data[p][r][c]; daily periods from 2024-01-01 UTC. */
export function tinyTensor(data: number[][][]): CountTensor {
  const P = data.length, R = data[0].length, C = data[0][0].length;
  return createTensor({
    periods: P, regions: R, categories: C,
    categoryNames: Array.from({ length: C }, (_, c) => `c${c}`),
    regionIds: Array.from({ length: R }, (_, r) => `r${r}`),
    periodStart: Float64Array.from({ length: P }, (_, p) => Date.UTC(2024, 0, 1) + p * DAY),
    unit: 'day', tz: 'UTC',
  }, Float32Array.from(data.flat(2)));
}
