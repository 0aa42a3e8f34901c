/**
 * Training losses on a network's raw output `out` plus a fixed per-cell offset, with per-cell weights w
 * (0 for padding cells of a lattice that are not regions). Both return the weighted mean over cells.
 *
 * - poisson: out + offset = log rate η; NLL = exp(η) − y·η (the log y! term does not depend on the model).
 * - bce:     out + offset = logit of P(y ≥ 1); y is made binary; positives weighted by `posWeight`
 *            (rare events would otherwise be ignored). Written with softplus so large |logits| stay finite.
 */
import { tf } from './backend.js';

export type DeepLoss = 'poisson' | 'bce';

/** η is clipped so exp(η) cannot overflow float32 while a badly initialised network settles. */
const MAX_LOG_RATE = 15;

export function lossValue(
  kind: DeepLoss, out: tf.Tensor, offset: tf.Tensor, y: tf.Tensor, w: tf.Tensor, posWeight = 1,
): tf.Scalar {
  return tf.tidy(() => {
    const eta = tf.add(out, offset);
    let cell: tf.Tensor;
    if (kind === 'poisson') {
      const e = tf.minimum(eta, MAX_LOG_RATE);
      cell = tf.sub(tf.exp(e), tf.mul(y, e));
    } else {
      const pos = tf.cast(tf.greater(y, 0), 'float32');
      const neg = tf.sub(1, pos);
      cell = tf.add(tf.mul(tf.mul(pos, posWeight), tf.softplus(tf.neg(eta))), tf.mul(neg, tf.softplus(eta)));
    }
    return tf.div(tf.sum(tf.mul(cell, w)), tf.maximum(tf.sum(w), 1e-12)) as tf.Scalar;
  });
}

/** The offset in the loss's own scale from a log-rate offset: the log rate itself, or the logit of 1 − e^(−rate). */
export function offsetFor(kind: DeepLoss, logRate: number): number {
  if (kind === 'poisson') return logRate;
  const p = Math.min(Math.max(-Math.expm1(-Math.exp(logRate)), 1e-6), 1 - 1e-6);
  return Math.log(p / (1 - p));
}

/** Expected count from η: the rate, or −ln(1 − p) — the Poisson mean with the same P(y ≥ 1). */
export function meanFrom(kind: DeepLoss, eta: number): number {
  if (kind === 'poisson') return Math.exp(Math.min(eta, MAX_LOG_RATE));
  const p = 1 / (1 + Math.exp(-eta));
  return -Math.log(Math.max(1 - p, 1e-7));
}
