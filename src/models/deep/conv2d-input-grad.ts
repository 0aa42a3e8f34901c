/**
 * Conv2DBackpropInput for the TensorFlow.js Wasm backend, routed through its forward Conv2D (XNNPACK, SIMD). The
 * backend's own input-gradient kernel is a plain scalar loop: it was 49% of a convlstm training epoch (bench/deep.mjs
 * torch, `node --cpu-prof`), more than every other kernel together.
 *
 * At stride 1 and dilation 1 the input gradient is a convolution of dy with the filter flipped in space and with its
 * channel axes swapped: dx[b, p, q, ci] = Σ_{i, j, co} dy[b, p + top − i, q + left − j, co] · W[i, j, ci, co]
 *   = conv2d(dy, W′)[b, p, q, ci] with W′[i, j, co, ci] = W[kh−1−i, kw−1−j, ci, co], padded kh−1−top above and
 * kw−1−left to the left (and so that the output has the input's size). Other strides or dilations, channels-first
 * data, or a padding that would come out negative keep the backend's kernel. Checked against the CPU backend in
 * test/models/deep/conv2d-filter-grad.test.ts (the same cases, both gradients).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmKernel, type ConvGradAttrs } from './conv2d-grad-common.js';

interface InputGradAttrs extends ConvGradAttrs {
  inputShape: [number, number, number, number];
}

const kernel = (name: string): KernelFunc => wasmKernel(name, 'Conv2D input gradient');

function viaConv2D(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as InputGradAttrs;
    if (a.dataFormat === 'NCHW') return original(args);
    const [kh, kw] = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode);
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return original(args);
    const { top, left } = info.padInfo, [, H, W] = a.inputShape, [, oh, ow] = dy.shape;
    const pt = kh - 1 - top, pl = kw - 1 - left, pb = H - oh - pt + kh - 1, pr = W - ow - pl + kw - 1;
    if (pt < 0 || pl < 0 || pb < 0 || pr < 0) return original(args);
    const b = backend as unknown as { disposeData(id: object): boolean };
    const flipped = kernel('Reverse')({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } }) as TensorInfo;
    const swapped = kernel('Transpose')({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } }) as TensorInfo;
    const dx = kernel('Conv2D')({
      inputs: { x: dy, filter: swapped }, backend,
      attrs: { strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC', pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]] },
    }) as TensorInfo;
    b.disposeData(flipped.dataId); b.disposeData(swapped.dataId);
    return dx;
  };
}

let registered = false;

/** Replace the backend's scalar input-gradient kernel once (idempotent). */
export function registerWasmConv2DInputGrad(): void {
  if (registered) return;
  const k = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!k) return; // nothing to speed up: gradients then fail loudly in tfjs, as before
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  const config: KernelConfig = { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: viaConv2D(k.kernelFunc), setupFunc: k.setupFunc as KernelConfig['setupFunc'] };
  tf.registerKernel(config);
  registered = true;
}
