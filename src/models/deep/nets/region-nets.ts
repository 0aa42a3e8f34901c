/**
 * Per-region networks with weights shared across regions: the MLP reads a region's lagged counts, its neighbours'
 * mean lagged counts and the target period's calendar; the LSTM / GRU read the same lags as a sequence
 * (own C + neighbour-mean C per step) and join the calendar after the recurrent layer.
 */
import { tf } from '../backend.js';
import { headName, neighbourMean, type ArchDims, type Architecture, type Samples } from '../architecture.js';
import type { DeepSeries } from '../series.js';

/** [B, L, 2C] lag block: step j holds period t − L + j. */
function lagBlock(s: DeepSeries, d: ArchDims, batch: Samples): Float32Array {
  const B = batch.t.length, L = d.lookback, C = s.categories, RC = s.regions * C;
  const out = new Float32Array(B * L * 2 * C);
  for (let b = 0; b < B; b++) {
    const r = batch.r[b];
    for (let j = 0; j < L; j++) {
      const p = batch.t[b] - L + j, o = (b * L + j) * 2 * C;
      for (let c = 0; c < C; c++) out[o + c] = s.z[p * RC + r * C + c];
      neighbourMean(s, d.adjacency, p, r, out, o + C);
    }
  }
  return out;
}

function calBlock(s: DeepSeries, batch: Samples): Float32Array {
  const K = s.calWidth, out = new Float32Array(batch.t.length * K);
  for (let b = 0; b < batch.t.length; b++) out.set(s.cal.subarray(batch.t[b] * K, (batch.t[b] + 1) * K), b * K);
  return out;
}

export class MlpNet implements Architecture {
  readonly sampling = 'region';
  readonly positionRegion = Int32Array.of(-1);
  readonly reach: number;
  constructor(private readonly d: ArchDims) { this.reach = d.lookback; }

  build(): tf.LayersModel {
    const { lookback: L, categories: C, calWidth: K, hidden: h } = this.d;
    const x = tf.input({ shape: [L * 2 * C + K] });
    let y = tf.layers.dense({ units: h, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: h, activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: C, name: headName() }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: x, outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const { lookback: L } = this.d, C = s.categories, K = s.calWidth, B = batch.t.length;
    const lags = lagBlock(s, this.d, batch), cal = calBlock(s, batch);
    const w = L * 2 * C + K, out = new Float32Array(B * w);
    for (let b = 0; b < B; b++) {
      out.set(lags.subarray(b * L * 2 * C, (b + 1) * L * 2 * C), b * w);
      out.set(cal.subarray(b * K, (b + 1) * K), b * w + L * 2 * C);
    }
    return [tf.tensor2d(out, [B, w])];
  }
}

export class RecurrentNet implements Architecture {
  readonly sampling = 'region';
  readonly positionRegion = Int32Array.of(-1);
  readonly reach: number;
  constructor(private readonly d: ArchDims, private readonly cell: 'lstm' | 'gru') { this.reach = d.lookback; }

  build(): tf.LayersModel {
    const { lookback: L, categories: C, calWidth: K, hidden: h } = this.d;
    const seq = tf.input({ shape: [L, 2 * C] }), cal = tf.input({ shape: [K] });
    // recurrent kernels are redrawn by seedWeights; the default orthogonal initialiser would only cost time
    const rnn = this.cell === 'lstm' ? tf.layers.lstm({ units: h, recurrentInitializer: 'glorotUniform' }) : tf.layers.gru({ units: h, recurrentInitializer: 'glorotUniform' });
    const state = rnn.apply(seq) as tf.SymbolicTensor;
    let y = tf.layers.concatenate().apply([state, cal]) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: h, activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: C, name: headName() }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: [seq, cal], outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const { lookback: L } = this.d, C = s.categories, B = batch.t.length;
    return [tf.tensor3d(lagBlock(s, this.d, batch), [B, L, 2 * C]), tf.tensor2d(calBlock(s, batch), [B, s.calWidth])];
  }
}

export { calBlock };
