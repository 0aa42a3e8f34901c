import { describe, expect, it } from 'vitest';
import { initDeep, tf, useBackend } from '../../../src/models/deep/backend.js';
import { Rng } from '../../../src/util/rng.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function random(shape: number[], rng: Rng): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

/** Gradients of Σ conv2d(x, w)² with respect to x and w on one backend. */
async function grads(backend: 'cpu' | 'wasm', xs: number[], x: Float32Array, ws: number[], w: Float32Array, stride: number | [number, number], pad: Pad) {
  await useBackend(backend);
  return tf.tidy(() => {
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)));
    const [gx, gw] = tf.grads(f)([tf.tensor(x, xs), tf.tensor(w, ws)]);
    return { gx: gx.dataSync().slice(), gw: gw.dataSync().slice() };
  });
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let err = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { err = Math.max(err, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(a[i])); }
  return err / scale;
}

describe('Conv2DBackpropFilter (and, through the same cases, Conv2DBackpropInput) on the wasm backend', () => {
  it('is registered once the deep backend starts, and computes the filter gradient by its definition', async () => {
    expect(await initDeep()).toBe('wasm');
    await useBackend('wasm');
    // dW[i, j, c, o] = Σ_{b, y, x} x[b, y·s + i − top, x·s + j − left, c] · dy[b, y, x, o] (zero outside x), summed
    // here in plain loops: stride 2, 'same' on 5×6 → 3×3 outputs, padding 1 row above and below, 0 columns left, 1 right
    const [B, H, W, C, K, O, s] = [2, 5, 6, 3, 3, 2, 2];
    const [OH, OW] = [Math.ceil(H / s), Math.ceil(W / s)];
    const top = Math.floor(Math.max((OH - 1) * s + K - H, 0) / 2), left = Math.floor(Math.max((OW - 1) * s + K - W, 0) / 2);
    const rng = new Rng(5);
    const x = random([B, H, W, C], rng), dy = random([B, OH, OW, O], rng);
    const ref = new Float64Array(K * K * C * O);
    for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) for (let c = 0; c < C; c++) for (let o = 0; o < O; o++) {
      let sum = 0;
      for (let b = 0; b < B; b++) for (let yy = 0; yy < OH; yy++) for (let xx = 0; xx < OW; xx++) {
        const r = yy * s + i - top, q = xx * s + j - left;
        if (r >= 0 && r < H && q >= 0 && q < W) sum += x[((b * H + r) * W + q) * C + c] * dy[((b * OH + yy) * OW + xx) * O + o];
      }
      ref[((i * K + j) * C + c) * O + o] = sum;
    }
    const out = tf.tidy(() => {
      const t = tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(x, [B, H, W, C]), dy: tf.tensor(dy, [B, OH, OW, O]) },
        { strides: [s, s], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [K, K, C, O] } as never) as tf.Tensor;
      expect(t.shape).toEqual([K, K, C, O]);
      return t.dataSync().slice() as Float32Array;
    });
    expect(tf.getBackend()).toBe('wasm');
    expect(maxRelErr(Float32Array.from(ref), out)).toBeLessThan(1e-6); // float32 sums: measured 7e-8
  });

  // the shapes, strides and paddings the models use (3×3 same, 1×1, k×1 temporal valid), plus strided and explicit cases
  const cases: [number[], number[], number | [number, number], Pad][] = [
    [[2, 7, 6, 3], [3, 3, 3, 4], 1, 'same'],
    [[2, 7, 6, 3], [3, 3, 3, 4], 2, 'same'],
    [[2, 8, 7, 3], [3, 3, 3, 2], 2, 'valid'],
    [[3, 6, 6, 5], [1, 1, 5, 4], 1, 'valid'],
    [[2, 7, 9, 4], [3, 1, 4, 3], 1, 'valid'],
    [[2, 9, 9, 2], [5, 5, 2, 3], [3, 2], 'valid'],
    [[2, 5, 5, 1], [3, 3, 1, 2], 1, [[0, 0], [1, 2], [0, 1], [0, 0]]],
  ];
  it.each(cases)('x %j, filter %j, stride %j, pad %j matches the CPU backend', async (xs, ws, stride, pad) => {
    const rng = new Rng(xs.reduce((a, b) => a * 31 + b, 7));
    const x = random(xs, rng), w = random(ws, rng);
    const cpu = await grads('cpu', xs, x, ws, w, stride, pad);
    const wasm = await grads('wasm', xs, x, ws, w, stride, pad);
    expect(wasm.gw.length).toBe(ws.reduce((a, b) => a * b, 1));
    expect(maxRelErr(cpu.gw, wasm.gw)).toBeLessThan(1e-4);
    expect(maxRelErr(cpu.gx, wasm.gx)).toBeLessThan(1e-4);
    // and the gradient is not trivially zero
    expect(Math.max(...Array.from(wasm.gw, Math.abs))).toBeGreaterThan(0.1);
  });
});
