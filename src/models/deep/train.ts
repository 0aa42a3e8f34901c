/**
 * The training loop shared by every deep model: seeded shuffling, mini-batch Adam on the chosen loss, validation
 * loss after each epoch, early stopping with the best weights restored, progress per epoch.
 * (model.fit is not used: its shuffle draws from Math.random and it cannot take the per-cell offset.)
 */
import { tf } from './backend.js';
import type { Architecture, Samples } from './architecture.js';
import type { DeepSeries } from './series.js';
import { lossValue, offsetFor, type DeepLoss } from './losses.js';
import { Rng } from '../../util/rng.js';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Stop after this many epochs without a better validation loss. */
  patience: number;
  loss: DeepLoss;
  posWeight: number;
  seed: number;
  /** At most this many training samples per epoch (a fresh seeded draw each epoch); 0 = all. */
  samplesPerEpoch: number;
  onEpoch?: (epoch: number, trainLoss: number, valLoss: number) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  trainLoss: number[];
  valLoss: number[];
  msPerEpoch: number;
}

/** Targets, offsets and weights of a batch, laid out like the network output [B, positions × C]. */
export function batchTargets(arch: Architecture, s: DeepSeries, batch: Samples, loss: DeepLoss): { y: Float32Array; off: Float32Array; w: Float32Array; width: number } {
  const C = s.categories, RC = s.regions * C, B = batch.t.length;
  const P = arch.sampling === 'region' ? 1 : arch.positionRegion.length;
  const width = P * C;
  const y = new Float32Array(B * width), off = new Float32Array(B * width), w = new Float32Array(B * width);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < P; i++) {
      const r = arch.sampling === 'region' ? batch.r[b] : arch.positionRegion[i];
      if (r < 0) continue;
      for (let c = 0; c < C; c++) {
        const o = b * width + i * C + c;
        y[o] = s.counts[batch.t[b] * RC + r * C + c];
        off[o] = offsetFor(loss, s.offset[r * C + c]);
        w[o] = 1;
      }
    }
  }
  return { y, off, w, width };
}

function pick(all: Samples, idx: ArrayLike<number>, from: number, to: number): Samples {
  const n = to - from, t = new Int32Array(n), r = new Int32Array(n);
  for (let i = 0; i < n; i++) { t[i] = all.t[idx[from + i]]; r[i] = all.r[idx[from + i]]; }
  return { t, r };
}

/** Raw network output for a batch, flattened to [B, width]. */
export function forward(model: tf.LayersModel, arch: Architecture, s: DeepSeries, batch: Samples, width: number, training: boolean): tf.Tensor2D {
  const xs = arch.inputs(s, batch);
  try {
    const out = model.apply(xs.length === 1 ? xs[0] : xs, { training }) as tf.Tensor;
    return tf.reshape(out, [batch.t.length, width]);
  } finally {
    for (const x of xs) x.dispose();
  }
}

/** Mean loss over samples, in batches, without gradients. */
export function evaluateLoss(model: tf.LayersModel, arch: Architecture, s: DeepSeries, samples: Samples, opts: Pick<TrainOptions, 'loss' | 'posWeight' | 'batchSize'>): number {
  let total = 0, weight = 0;
  const idx = Int32Array.from({ length: samples.t.length }, (_, i) => i);
  for (let a = 0; a < idx.length; a += opts.batchSize) {
    const batch = pick(samples, idx, a, Math.min(idx.length, a + opts.batchSize));
    const { y, off, w, width } = batchTargets(arch, s, batch, opts.loss);
    const l = tf.tidy(() => {
      const out = forward(model, arch, s, batch, width, false);
      const B = batch.t.length;
      return lossValue(opts.loss, out, tf.tensor2d(off, [B, width]), tf.tensor2d(y, [B, width]), tf.tensor2d(w, [B, width]), opts.posWeight);
    });
    let ws = 0;
    for (const v of w) ws += v;
    total += l.dataSync()[0] * ws; weight += ws;
    l.dispose();
  }
  return weight > 0 ? total / weight : NaN;
}

export function train(model: tf.LayersModel, arch: Architecture, s: DeepSeries, trainSet: Samples, valSet: Samples, opts: TrainOptions): TrainResult {
  if (trainSet.t.length === 0) throw new Error('deep model: no training samples (history shorter than the lookback plus validation)');
  const rng = new Rng(opts.seed ^ 0x5eed);
  const optimizer = tf.train.adam(opts.learningRate);
  const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const n = trainSet.t.length;
  const perEpoch = opts.samplesPerEpoch > 0 ? Math.min(opts.samplesPerEpoch, n) : n;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const res: TrainResult = { epochs: 0, bestEpoch: -1, trainLoss: [], valLoss: [], msPerEpoch: 0 };
  let best = Infinity, bestWeights: tf.Tensor[] | null = null, since = 0;
  const t0 = performance.now();
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      if (opts.signal?.aborted) throw new Error('training aborted');
      // Fisher–Yates with the seeded generator; only the first perEpoch are used
      for (let i = n - 1; i > 0; i--) { const j = rng.int(i + 1); const x = order[i]; order[i] = order[j]; order[j] = x; }
      let sum = 0, count = 0;
      for (let a = 0; a < perEpoch; a += opts.batchSize) {
        const batch = pick(trainSet, order, a, Math.min(perEpoch, a + opts.batchSize));
        const { y, off, w, width } = batchTargets(arch, s, batch, opts.loss);
        const B = batch.t.length;
        const yt = tf.tensor2d(y, [B, width]), ot = tf.tensor2d(off, [B, width]), wt = tf.tensor2d(w, [B, width]);
        const cost = optimizer.minimize(() => lossValue(opts.loss, forward(model, arch, s, batch, width, true), ot, yt, wt, opts.posWeight), true, vars);
        sum += cost!.dataSync()[0] * B; count += B;
        tf.dispose([cost!, yt, ot, wt]);
      }
      const trainLoss = sum / count;
      const valLoss = valSet.t.length > 0 ? evaluateLoss(model, arch, s, valSet, opts) : trainLoss;
      if (!Number.isFinite(trainLoss)) throw new Error(`deep model: training loss became ${trainLoss} at epoch ${epoch + 1}; lower learningRate`);
      res.trainLoss.push(trainLoss); res.valLoss.push(valLoss); res.epochs = epoch + 1;
      opts.onEpoch?.(epoch, trainLoss, valLoss);
      if (valLoss < best - 1e-6) {
        best = valLoss; res.bestEpoch = epoch; since = 0;
        if (bestWeights) tf.dispose(bestWeights);
        bestWeights = vars.map((v) => tf.clone(v));
      } else if (++since >= opts.patience) {
        break;
      }
    }
    res.msPerEpoch = (performance.now() - t0) / Math.max(res.epochs, 1);
    if (bestWeights) vars.forEach((v, i) => v.assign(bestWeights![i]));
  } finally {
    if (bestWeights) tf.dispose(bestWeights);
    optimizer.dispose();
  }
  return res;
}
