/**
 * Every deep model as a Forecaster. This shell holds only the name and parameters; the engine (deep-model.ts and
 * TensorFlow.js, ~0.5 s to load) is imported on the first fit or load, so registering the models costs nothing
 * to processes that never use them (the CLI, backtest workers, other tests).
 */
import type { FitOptions, FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import type { DeepModel } from './deep-model.js';
import type { DeepParams } from './params.js';
import type { QuantReport } from './quantise.js';
import type { TrainResult } from './train.js';
import type { tf } from './backend.js';
import { createForecaster } from '../registry.js';
import { UserError } from '../../util/errors.js';

export class DeepForecaster implements Forecaster {
  private impl: DeepModel | null = null;
  private backend: { name: string; fallback?: string } | null = null;

  constructor(readonly name: string, readonly params: Readonly<DeepParams & Record<string, unknown>>) {}

  /** The engine, loaded on first use. */
  async engine(): Promise<DeepModel> {
    if (!this.impl) {
      const [{ DeepModel }, { archFactory }] = await Promise.all([import('./deep-model.js'), import('./nets/index.js')]);
      this.impl = new DeepModel(this.name, this.params, archFactory(this.name, this.params));
    }
    return this.impl;
  }

  async fit(history: History, opts?: FitOptions): Promise<void> {
    await (await this.engine()).fit(history, opts);
    const { initDeep, deepBackendStatus } = await import('./backend.js');
    this.backend = { name: await initDeep(), fallback: deepBackendStatus().fallback };
  }

  /** Weights fixed since fit; the input window is read from the history handed to predict. */
  fitted(): FitSummary {
    const b = this.backend;
    return {
      betweenRefits: 'conditioned',
      backend: b?.name,
      // TensorFlow.js' Wasm and CPU backends run on one thread under Node
      threads: b ? 1 : undefined,
      fallbacks: b?.fallback ? [{ what: 'TensorFlow.js CPU backend instead of Wasm', reason: b.fallback, count: 1, of: 1 }] : undefined,
    };
  }

  async predict(history: History, horizon: number): Promise<Forecast> {
    if (!this.impl) throw new Error(`${this.name}: predict called before fit`);
    return this.impl.predict(history, horizon);
  }

  /** Save the fitted model (model.json + weights.bin) to a folder; loadDeepForecaster restores it. */
  async save(dir: string): Promise<void> {
    if (!this.impl) throw new Error(`${this.name}: save called before fit`);
    await this.impl.save(dir);
  }

  /** Free the network's tensors. */
  dispose(): void {
    this.impl?.dispose();
  }

  /** Loss curves and timing of the last fit. */
  get lastTraining(): TrainResult | null {
    return this.impl?.lastTraining ?? null;
  }

  /** What post-training quantisation did (null when not quantised). */
  get quantisation(): QuantReport | null {
    return this.impl?.quantisation ?? null;
  }

  /** The trained network (for quantisation and inspection). */
  get network(): tf.LayersModel | null {
    return this.impl?.network ?? null;
  }
}

/** A fitted deep forecaster from a folder written by `save` or the `checkpoint` parameter. */
export async function loadDeepForecaster(dir: string): Promise<DeepForecaster> {
  const { DeepModel } = await import('./deep-model.js');
  const { model, meta } = await DeepModel.read(dir);
  const f = createForecaster(meta.name, meta.params);
  if (!(f instanceof DeepForecaster)) {
    model.dispose();
    throw new UserError(`checkpoint ${dir} names "${meta.name}", which is not a deep model`);
  }
  (await f.engine()).restore(model, meta);
  return f;
}
