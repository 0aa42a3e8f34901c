/** A small synthetic city for the deep-model tests: a 6×6 grid, 2 categories, Poisson counts with a known pattern. */
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { buildStshnGrid } from '../../../src/space/stshn-grid.js';
import type { History } from '../../../src/models/forecaster.js';
import { Rng } from '../../../src/util/rng.js';

export const ROWS = 6, COLS = 6, CATS = 2;

/** True rate of region r, category c on day p: a hot spot in one corner, a cold band, and a weekly cycle. */
export function trueRate(p: number, r: number, c: number): number {
  const row = Math.floor(r / COLS), col = r % COLS;
  const spatial = 0.3 + 3 * Math.exp(-((row - 1) ** 2 + (col - 4) ** 2) / 3) + (c === 1 ? 0.5 * (row / ROWS) : 0);
  const weekly = 1 + 0.4 * Math.sin((2 * Math.PI * p) / 7);
  return spatial * weekly;
}

export function syntheticHistory(days = 60, seed = 7): History {
  const R = ROWS * COLS, rng = new Rng(seed), data = new Float32Array(days * R * CATS);
  for (let p = 0; p < days; p++) for (let r = 0; r < R; r++) for (let c = 0; c < CATS; c++) data[(p * R + r) * CATS + c] = rng.poisson(trueRate(p, r, c));
  const tensor = createTensor({
    periods: days, regions: R, categories: CATS, categoryNames: ['A', 'B'], regionIds: Array.from({ length: R }, (_, i) => String(i)),
    periodStart: Float64Array.from({ length: days }, (_, p) => Date.UTC(2021, 0, 4) + p * 86_400_000), unit: 'day', tz: 'UTC',
  }, data);
  return { tensor, units: buildStshnGrid({ rows: ROWS, cols: COLS }) };
}

/** Pearson correlation. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb);
}
