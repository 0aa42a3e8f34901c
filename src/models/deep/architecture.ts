/**
 * An architecture turns a series into network inputs and says how outputs map to cells.
 *
 * - 'region' sampling: one sample per (target period, region); the network outputs the C categories of that region
 *   and its weights are shared across regions (MLP, LSTM, GRU).
 * - 'period' sampling: one sample per target period; the network outputs `positions` × C values, position i
 *   standing for region positionRegion[i] (−1 for lattice cells that are not regions, which get zero weight).
 */
import type { tf } from './backend.js';
import type { DeepSeries } from './series.js';
import type { Adjacency } from '../../space/units.js';

export interface ArchDims {
  regions: number;
  categories: number;
  calWidth: number;
  /** Periods per seasonal cycle of the data (7 for days, 24 for hours, 52 for weeks, 12 for months). */
  season: number;
  lookback: number;
  hidden: number;
  adjacency?: Adjacency;
  /** Full lattice and the region at each lattice cell (−1 = not a region), for grid models. */
  lattice?: { rows: number; cols: number; cellRegion: Int32Array };
}

export interface Samples {
  /** Target period of each sample. */
  t: Int32Array;
  /** Region of each sample ('region' sampling), else −1. */
  r: Int32Array;
}

export interface Architecture {
  readonly sampling: 'region' | 'period';
  /** Region of each output position ('period' sampling); a single −1 placeholder for 'region' sampling. */
  readonly positionRegion: Int32Array;
  /** Periods of history a sample reads before its target period. */
  readonly reach: number;
  build(): tf.LayersModel;
  /** Network inputs for a batch of samples (caller disposes). */
  inputs(s: DeepSeries, batch: Samples): tf.Tensor[];
}

/** Mean of z over a region's neighbours at period p (0 for an isolated region), into out[o..o+C). */
export function neighbourMean(s: DeepSeries, adj: Adjacency | undefined, p: number, r: number, out: Float32Array, o: number): void {
  const C = s.categories, RC = s.regions * C;
  for (let c = 0; c < C; c++) out[o + c] = 0;
  if (!adj) return;
  const a = adj.offsets[r], b = adj.offsets[r + 1];
  if (b === a) return;
  for (let k = a; k < b; k++) {
    const base = p * RC + adj.neighbors[k] * C;
    for (let c = 0; c < C; c++) out[o + c] += s.z[base + c];
  }
  for (let c = 0; c < C; c++) out[o + c] /= b - a;
}

export function seasonOf(unit: string): number {
  return unit === 'hour' ? 24 : unit === 'day' ? 7 : unit === 'week' ? 52 : 12;
}

let heads = 0;
/**
 * Name for a layer that produces (part of) the network output. seedWeights zeroes these kernels, so an untrained
 * network forecasts exactly the offset (each cell's historical mean) and training moves it from there.
 */
export function headName(): string {
  return `head_${heads++}`;
}
