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

describe('Conv2DBackpropFilter on the wasm backend', () => {
  it('is registered once the deep backend starts', async () => {
    expect(await initDeep()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
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
