/**
 * A spatio-temporal graph network (STGCN-style) over the region adjacency graph, for any unit set:
 * graph convolution at each lag → temporal convolutions that collapse the lags → a second graph convolution →
 * per-region output, plus the calendar. Graph convolution is Â·X with Â = D^−½ (A + I) D^−½; multiplying by
 * Â is a Dense layer over the region axis whose kernel is Â (fixed, not trained), so the whole network is
 * built from stock layers and saves / loads like any other.
 */
import { tf } from '../backend.js';
import { headName, type ArchDims, type Architecture, type Samples } from '../architecture.js';
import type { DeepSeries } from '../series.js';
import type { Adjacency } from '../../../space/units.js';
import { UserError } from '../../../util/errors.js';

/** Dense Â is N×N floats; beyond this a sparse operator would be needed. */
const MAX_GRAPH_REGIONS = 4000;

export function normalisedAdjacency(adj: Adjacency, n: number): Float32Array {
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) deg[i] = adj.offsets[i + 1] - adj.offsets[i] + 1;
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = 1 / deg[i];
    for (let k = adj.offsets[i]; k < adj.offsets[i + 1]; k++) {
      const j = adj.neighbors[k];
      a[i * n + j] = 1 / Math.sqrt(deg[i] * deg[j]);
    }
  }
  return a;
}

export class GraphNet implements Architecture {
  readonly sampling = 'period';
  readonly positionRegion: Int32Array;
  readonly reach: number;
  private readonly kt: number;

  constructor(private readonly d: ArchDims) {
    if (!d.adjacency) throw new UserError('gnn needs the spatial units (their adjacency graph) in the history', 'run it through a protocol or backtest that supplies units');
    if (d.regions > MAX_GRAPH_REGIONS) throw new UserError(`gnn: ${d.regions} regions is more than its dense graph operator handles (${MAX_GRAPH_REGIONS})`, 'use coarser units');
    this.positionRegion = Int32Array.from({ length: d.regions }, (_, i) => i);
    this.reach = d.lookback;
    this.kt = Math.min(3, d.lookback);
  }

  /** X [.., N, F] → [X, ÂX] concatenated on features, then Dense(h, relu). */
  private graphConv(x: tf.SymbolicTensor, rank: number, index: number): tf.SymbolicTensor {
    const n = this.d.regions, h = this.d.hidden;
    const swap = rank === 3 ? [1, 3, 2] : [2, 1];
    let m = tf.layers.permute({ dims: swap }).apply(x) as tf.SymbolicTensor;
    // Symmetric Â, so the Dense kernel (x · K) is Â itself
    const mix = tf.layers.dense({ units: n, useBias: false, trainable: false, name: `graph_mix_${index}` });
    m = mix.apply(m) as tf.SymbolicTensor;
    mix.setWeights([tf.tensor2d(normalisedAdjacency(this.d.adjacency!, n), [n, n])]);
    m = tf.layers.permute({ dims: swap }).apply(m) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate().apply([x, m]) as tf.SymbolicTensor;
    return tf.layers.dense({ units: h, activation: 'relu' }).apply(cat) as tf.SymbolicTensor;
  }

  build(): tf.LayersModel {
    const { lookback: L, regions: N, categories: C, calWidth: K, hidden: h } = this.d;
    const x = tf.input({ shape: [L, N, C] }), cal = tf.input({ shape: [K] });
    let y = this.graphConv(x, 3, 0); // [L, N, h]
    y = tf.layers.conv2d({ filters: h, kernelSize: [this.kt, 1], activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: h, kernelSize: [L - this.kt + 1, 1], activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.reshape({ targetShape: [N, h] }).apply(y) as tf.SymbolicTensor;
    y = this.graphConv(y, 2, 1); // [N, h]
    let e = tf.layers.dense({ units: h }).apply(cal) as tf.SymbolicTensor;
    e = tf.layers.repeatVector({ n: N }).apply(e) as tf.SymbolicTensor;
    y = tf.layers.add().apply([y, e]) as tf.SymbolicTensor;
    y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: C, name: headName() }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: [x, cal], outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const L = this.d.lookback, RC = s.regions * s.categories, K = s.calWidth, B = batch.t.length;
    const seq = new Float32Array(B * L * RC), cal = new Float32Array(B * K);
    for (let b = 0; b < B; b++) {
      const t = batch.t[b];
      seq.set(s.z.subarray((t - L) * RC, t * RC), b * L * RC);
      cal.set(s.cal.subarray(t * K, (t + 1) * K), b * K);
    }
    return [tf.tensor4d(seq, [B, L, s.regions, s.categories]), tf.tensor2d(cal, [B, K])];
  }
}
