/**
 * Networks on the spatial lattice (one sample per target period, the whole map at once): a fully convolutional
 * CNN over stacked lag maps, and a ConvLSTM over the sequence of maps. Lattice cells that are not regions
 * (masked grids) read zeros and carry zero loss weight. Calendar features enter as constant channels.
 */
import { tf } from '../backend.js';
import { headName, type ArchDims, type Architecture, type Samples } from '../architecture.js';
import type { DeepSeries } from '../series.js';
import { UserError } from '../../../util/errors.js';

export function requireLattice(d: ArchDims, model: string): NonNullable<ArchDims['lattice']> {
  if (!d.lattice) {
    throw new UserError(
      `${model} needs regions on a regular grid (units with a lattice: a metre grid or the ST-SHN grid); ` +
        'for irregular units such as community areas, beats or H3 use gnn, mlp, lstm or gru',
    );
  }
  return d.lattice;
}

/** Lag maps [B, H, W, lags·C] for the given lags (periods before the target), then `cal` channels if asked. */
export function lagMaps(s: DeepSeries, lat: NonNullable<ArchDims['lattice']>, batch: Samples, lags: number[], withCal: boolean): Float32Array {
  const { rows, cols, cellRegion } = lat, C = s.categories, RC = s.regions * C, K = withCal ? s.calWidth : 0;
  const ch = lags.length * C + K, B = batch.t.length;
  const out = new Float32Array(B * rows * cols * ch);
  for (let b = 0; b < B; b++) {
    const t = batch.t[b];
    for (let cell = 0; cell < rows * cols; cell++) {
      const o = (b * rows * cols + cell) * ch;
      const r = cellRegion[cell];
      if (r >= 0) {
        for (let j = 0; j < lags.length; j++) {
          const base = (t - lags[j]) * RC + r * C;
          for (let c = 0; c < C; c++) out[o + j * C + c] = s.z[base + c];
        }
      }
      for (let k = 0; k < K; k++) out[o + lags.length * C + k] = s.cal[t * s.calWidth + k];
    }
  }
  return out;
}

/** Oldest first: lags L, L−1, …, 1. */
export function recentLags(L: number): number[] {
  return Array.from({ length: L }, (_, j) => L - j);
}

export class CnnNet implements Architecture {
  readonly sampling = 'period';
  readonly positionRegion: Int32Array;
  readonly reach: number;
  private readonly lat: NonNullable<ArchDims['lattice']>;
  constructor(private readonly d: ArchDims, private readonly depth: number) {
    this.lat = requireLattice(d, 'cnn');
    this.positionRegion = this.lat.cellRegion;
    this.reach = d.lookback;
  }

  build(): tf.LayersModel {
    const { lookback: L, categories: C, calWidth: K, hidden: h } = this.d;
    const x = tf.input({ shape: [this.lat.rows, this.lat.cols, L * C + K] });
    let y = x;
    for (let i = 0; i < this.depth; i++) y = tf.layers.conv2d({ filters: h, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: C, kernelSize: 1, name: headName() }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: x, outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const { rows, cols } = this.lat, ch = this.d.lookback * s.categories + s.calWidth;
    return [tf.tensor4d(lagMaps(s, this.lat, batch, recentLags(this.d.lookback), true), [batch.t.length, rows, cols, ch])];
  }
}

export class ConvLstmNet implements Architecture {
  readonly sampling = 'period';
  readonly positionRegion: Int32Array;
  readonly reach: number;
  private readonly lat: NonNullable<ArchDims['lattice']>;
  constructor(private readonly d: ArchDims) {
    this.lat = requireLattice(d, 'convlstm');
    this.positionRegion = this.lat.cellRegion;
    this.reach = d.lookback;
  }

  build(): tf.LayersModel {
    const { lookback: L, categories: C, calWidth: K, hidden: h } = this.d, { rows, cols } = this.lat;
    const seq = tf.input({ shape: [L, rows, cols, C] }), cal = tf.input({ shape: [rows, cols, K] });
    let y = tf.layers.convLstm2d({ filters: h, kernelSize: 3, padding: 'same', recurrentInitializer: 'glorotUniform' }).apply(seq) as tf.SymbolicTensor;
    y = tf.layers.concatenate().apply([y, cal]) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: h, kernelSize: 1, activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: C, kernelSize: 1, name: headName() }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: [seq, cal], outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const { rows, cols } = this.lat, L = this.d.lookback, C = s.categories, B = batch.t.length;
    // [B, H, W, L·C] with lag-major channels → [B, L, H, W, C]
    const maps = lagMaps(s, this.lat, batch, recentLags(L), false);
    const seq = new Float32Array(maps.length);
    const HW = rows * cols;
    for (let b = 0; b < B; b++) {
      for (let cell = 0; cell < HW; cell++) {
        for (let j = 0; j < L; j++) {
          for (let c = 0; c < C; c++) seq[((b * L + j) * HW + cell) * C + c] = maps[(b * HW + cell) * L * C + j * C + c];
        }
      }
    }
    const K = s.calWidth, cal = new Float32Array(B * HW * K);
    for (let b = 0; b < B; b++) for (let cell = 0; cell < HW; cell++) cal.set(s.cal.subarray(batch.t[b] * K, (batch.t[b] + 1) * K), (b * HW + cell) * K);
    return [tf.tensor5d(seq, [B, L, rows, cols, C]), tf.tensor4d(cal, [B, rows, cols, K])];
  }
}
