/**
 * TensorFlow.js runtime for the deep models: the Wasm backend (XNNPACK kernels, ~100× the pure-JS CPU backend
 * on convolutions) with the CPU backend as fallback. tfjs-node is not used: its install downloads libtensorflow.
 *
 * The Wasm backend has no Conv2DBackpropFilter kernel, so convolutional layers could not train; `initDeep`
 * registers one (./conv2d-filter-grad.ts) before any model is built.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
// the union package: its bundle registers every gradient and chained op (tfjs-core alone registers none)
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DFilterGrad } from './conv2d-filter-grad.js';
import { registerWasmConv2DInputGrad } from './conv2d-input-grad.js';

export type DeepBackend = 'wasm' | 'cpu';

let ready: Promise<DeepBackend> | null = null;
/** Why the Wasm backend was not used, when it was asked for and the CPU backend runs instead. */
let fallbackReason: string | undefined;

/** The running backend and, when it is a fallback, why (reported by every deep model's fitted()). */
export function deepBackendStatus(): { fallback?: string } {
  return { fallback: fallbackReason };
}

/** Folder holding the backend's .wasm binaries (Node cannot fetch them by URL). */
function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/';
}

async function init(preferred: DeepBackend): Promise<DeepBackend> {
  // production mode: no per-kernel debug checks, and no "install tfjs-node" banner (advice we cannot follow)
  tf.enableProdMode();
  if (preferred === 'wasm') {
    setWasmPaths(wasmDir());
    registerWasmConv2DFilterGrad();
    registerWasmConv2DInputGrad();
    try {
      if (await tf.setBackend('wasm')) return 'wasm';
      fallbackReason = 'the Wasm backend did not start';
    } catch (e) {
      fallbackReason = `the Wasm backend failed to start (${(e as Error).message})`;
    }
    process.emitWarning(`TensorFlow.js: ${fallbackReason}; using the much slower CPU backend`);
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: neither the wasm nor the cpu backend could start');
  return 'cpu';
}

/**
 * Start the deep-learning backend once per process (later calls return the same backend).
 * CRIMECAST_TF_BACKEND=cpu forces the slow but dependency-free CPU backend.
 */
export function initDeep(preferred?: DeepBackend): Promise<DeepBackend> {
  const want = preferred ?? (process.env.CRIMECAST_TF_BACKEND === 'cpu' ? 'cpu' : 'wasm');
  ready ??= init(want);
  return ready;
}

/** Switch backend (tests compare kernels across backends); both are registered by the time initDeep resolves. */
export async function useBackend(name: DeepBackend): Promise<void> {
  await initDeep();
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend "${name}" is not available`);
}

export { tf };
