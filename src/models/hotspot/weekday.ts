/**
 * City-wide day-of-week factors per category for daily tensors: each phase of the 7-period cycle's mean count
 * over the last `weeks` weeks relative to the week's mean, shrunk toward 1 by `prior` pseudo crimes per phase.
 * They scale every cell of a category alike: they change the calibration and how categories add up, not a
 * category's own ranking.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';

/** City-wide count per period and category over periods [from, end): (end − from) × C. */
export function cityTotals(t: CountTensor, from = 0, end = t.periods): Float64Array {
  const R = t.regions, C = t.categories, RC = R * C;
  const out = new Float64Array((end - from) * C);
  for (let p = from; p < end; p++) {
    const y = t.data.subarray(p * RC, (p + 1) * RC), o = (p - from) * C;
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[o + c] += y[r * C + c];
  }
  return out;
}

/**
 * factors[phase · C + c] (phase = period index mod 7, averaging 1 over the week) from city totals that start at
 * period `first`, using the `weeks` weeks before `end`. All ones with less than a week of data.
 */
export function weekdayFactorsFromTotals(city: Float64Array, C: number, first: number, end: number, weeks = 52, prior = 50): Float64Array {
  const sum = new Float64Array(7 * C), periods = new Float64Array(7);
  for (let p = Math.max(first, end - 7 * weeks); p < end; p++) {
    const ph = p % 7, o = (p - first) * C;
    periods[ph]++;
    for (let c = 0; c < C; c++) sum[ph * C + c] += city[o + c];
  }
  const out = new Float64Array(7 * C).fill(1);
  if (periods.some((n) => n === 0)) return out;
  for (let c = 0; c < C; c++) {
    let mean = 0;
    for (let ph = 0; ph < 7; ph++) mean += sum[ph * C + c] / periods[ph] / 7;
    let avg = 0;
    for (let ph = 0; ph < 7; ph++) {
      out[ph * C + c] = (sum[ph * C + c] + prior) / (periods[ph] * mean + prior);
      avg += out[ph * C + c] / 7;
    }
    for (let ph = 0; ph < 7; ph++) out[ph * C + c] /= avg;
  }
  return out;
}

/** Weekday factors of the `weeks` weeks before `end`. */
export function weekdayFactors(t: CountTensor, weeks = 52, prior = 50, end = t.periods): Float64Array {
  const from = Math.max(0, end - 7 * weeks);
  return weekdayFactorsFromTotals(cityTotals(t, from, end), t.categories, from, end, weeks, prior);
}
