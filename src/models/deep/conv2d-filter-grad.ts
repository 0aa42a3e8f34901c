/**
 * Conv2DBackpropFilter for the TensorFlow.js Wasm backend, which ships the forward Conv2D and the input gradient
 * but not the filter gradient, so no convolutional layer could train on it.
 *
 * The filter gradient is itself a convolution: dW[i, j, ci, co] = Σ_{b, y, x} xpad[b, y·s + i, x·s + j, ci] · dy[b, y, x, co].
 * With ci as the batch axis and b as the channel axis of the input, and dy (laid out [y, x, b, co]) as the filter,
 * that is a stride-1 convolution dilated by the forward stride. It runs on the backend's own Transpose, Conv2D
 * and Slice kernels, so it is as fast as the forward pass. Checked against the CPU backend in
 * test/models/deep/conv2d-filter-grad.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmKernel, type ConvGradAttrs } from './conv2d-grad-common.js';

interface FilterGradAttrs extends ConvGradAttrs {
  filterShape: [number, number, number, number];
}

interface KernelBackend {
  disposeData(dataId: object): boolean;
}

const kernel = (name: string): KernelFunc => wasmKernel(name, 'Conv2D filter gradient');

const filterGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as FilterGradAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only channels-last (NHWC) data is supported');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
  );
  const [kh, kw, ci, co] = filterShape;
  const transpose = kernel('Transpose'), conv = kernel('Conv2D'), slice = kernel('Slice');
  const b = backend as unknown as KernelBackend;
  const xt = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }) as TensorInfo; // [ci, H, W, B]
  const dyt = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }) as TensorInfo; // [oh, ow, B, co]
  const { top, bottom, left, right } = info.padInfo;
  const full = conv({
    inputs: { x: xt, filter: dyt }, backend,
    attrs: {
      strides: [1, 1], dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC',
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    },
  }) as TensorInfo; // [ci, ≥kh, ≥kw, co]: extra rows/cols appear when (H + pads − kh) is not a multiple of the stride
  const cut = slice({ inputs: { x: full }, backend, attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] } }) as TensorInfo;
  const out = transpose({ inputs: { x: cut }, backend, attrs: { perm: [1, 2, 0, 3] } }) as TensorInfo; // [kh, kw, ci, co]
  for (const t of [xt, dyt, full, cut]) b.disposeData(t.dataId);
  return out;
};

let registered = false;

/** Register the kernel once (idempotent; skipped if a future tfjs release ships its own). */
export function registerWasmConv2DFilterGrad(): void {
  if (registered || tf.getKernel('Conv2DBackpropFilter', 'wasm')) { registered = true; return; }
  const config: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGrad };
  tf.registerKernel(config);
  registered = true;
}
