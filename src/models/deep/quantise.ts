/**
 * Post-training weight quantisation of a trained network, applied in place (the network then computes with the
 * dequantised values, so its forecasts show exactly the accuracy the compressed weights give):
 *
 * - int8: symmetric, one scale per output channel (the last axis of a kernel; per tensor for vectors):
 *   q = round(w / s) ∈ [−127, 127], s = max|w| / 127.
 * - ternary: w → {−α, 0, +α} per tensor, threshold Δ = 0.7·mean|w| and α = mean of |w| above Δ
 *   (Li et al., "Ternary weight networks", 2016).
 *
 * Fixed weights (a graph operator) are left alone. Storage is counted as the quantised codes plus one float scale
 * per channel (int8: 1 byte per weight; ternary: 2 bits). TensorFlow.js has no int8 kernels, so compute stays float32.
 */
import { tf } from './backend.js';

export type QuantMode = 'int8' | 'ternary';

export interface QuantReport {
  mode: QuantMode;
  tensors: number;
  weights: number;
  floatBytes: number;
  quantisedBytes: number;
  /** Largest |w − ŵ| over all weights, and the root mean square error. */
  maxAbsError: number;
  rmsError: number;
}

/** Quantise-dequantise one tensor's values (shape's last axis = output channels). Returns the new values. */
export function quantiseValues(w: Float32Array, shape: number[], mode: QuantMode): Float32Array {
  const out = new Float32Array(w.length);
  if (mode === 'ternary') {
    let meanAbs = 0;
    for (const v of w) meanAbs += Math.abs(v) / w.length;
    const delta = 0.7 * meanAbs;
    let sum = 0, n = 0;
    for (const v of w) if (Math.abs(v) > delta) { sum += Math.abs(v); n++; }
    const alpha = n > 0 ? sum / n : 0;
    for (let i = 0; i < w.length; i++) out[i] = Math.abs(w[i]) > delta ? Math.sign(w[i]) * alpha : 0;
    return out;
  }
  const ch = shape.length >= 2 ? shape[shape.length - 1] : 1;
  const scale = new Float64Array(ch);
  for (let i = 0; i < w.length; i++) scale[i % ch] = Math.max(scale[i % ch], Math.abs(w[i]));
  for (let c = 0; c < ch; c++) scale[c] = scale[c] / 127 || 1;
  for (let i = 0; i < w.length; i++) {
    const s = scale[i % ch];
    out[i] = Math.max(-127, Math.min(127, Math.round(w[i] / s))) * s;
  }
  return out;
}

export function quantiseModel(model: tf.LayersModel, mode: QuantMode): QuantReport {
  const rep: QuantReport = { mode, tensors: 0, weights: 0, floatBytes: 0, quantisedBytes: 0, maxAbsError: 0, rmsError: 0 };
  let sq = 0;
  for (const w of model.weights) {
    if (!w.trainable) continue;
    const shape = w.shape as number[];
    const vals = w.read().dataSync() as Float32Array;
    const q = quantiseValues(vals, shape, mode);
    for (let i = 0; i < vals.length; i++) {
      const e = Math.abs(vals[i] - q[i]);
      if (e > rep.maxAbsError) rep.maxAbsError = e;
      sq += e * e;
    }
    const t = tf.tensor(q, shape);
    w.write(t);
    t.dispose();
    const channels = mode === 'int8' && shape.length >= 2 ? shape[shape.length - 1] : 1;
    rep.tensors++;
    rep.weights += vals.length;
    rep.floatBytes += 4 * vals.length;
    rep.quantisedBytes += (mode === 'int8' ? vals.length : Math.ceil(vals.length / 4)) + 4 * channels;
  }
  rep.rmsError = rep.weights > 0 ? Math.sqrt(sq / rep.weights) : 0;
  return rep;
}
