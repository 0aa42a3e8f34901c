/** What the two Conv2D gradient kernels registered on the Wasm backend share: their attributes and kernel lookup. */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc } from '@tensorflow/tfjs';

/** The attributes tfjs passes to Conv2DBackpropInput / Conv2DBackpropFilter (plus each one's target shape). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A kernel of the Wasm backend that a gradient is built from; `what` names the gradient in the error. */
export function wasmKernel(name: string, what: string): KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`TensorFlow.js wasm backend lacks the ${name} kernel needed for the ${what}`);
  return k.kernelFunc;
}
