/**
 * Seeded weight initialisation. tfjs-layers initialisers draw from Math.random unless every layer is given a
 * seed, so instead every trainable kernel is redrawn here from one Rng: Glorot-uniform for kernels, with
 * biases left as the layer built them (zeros, or ones for LSTM forget gates). Same seed ⇒ same network.
 * Output layers (named by headName) start at zero: the untrained network then forecasts the offset, and
 * random output noise does not have to be unlearned first.
 */
import { tf } from './backend.js';
import { Rng } from '../../util/rng.js';

export function seedWeights(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  const zero = new Set(model.layers.filter((l) => l.name.startsWith('head_')).flatMap((l) => l.trainableWeights.map((w) => w.name)));
  for (const w of model.trainableWeights) {
    const shape = w.shape as number[];
    if (shape.length < 2 || /bias/i.test(w.name)) continue;
    if (zero.has(w.name)) {
      const t = tf.zeros(shape);
      w.write(t);
      t.dispose();
      continue;
    }
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = receptive * shape[shape.length - 2], fanOut = receptive * shape[shape.length - 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (2 * rng.random() - 1) * limit;
    const t = tf.tensor(v, shape);
    w.write(t);
    t.dispose();
  }
}
