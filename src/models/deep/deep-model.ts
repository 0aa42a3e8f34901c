/**
 * The engine behind every deep forecaster (deep-forecaster.ts loads it on first fit, so TensorFlow.js is only
 * loaded by processes that train or run a deep model).
 *
 * fit: the last `validation` periods are held out (never trained on) for early stopping and for the negative-
 * binomial size, which is fitted by maximum likelihood on the early-stopped network's forecasts of those periods
 * (as feature-forecaster.ts does). Normalisation and offsets come from the training periods only.
 * predict: one step at a time; for horizon > 1 each step's forecast mean is fed back as the next step's input.
 */
import type { FitOptions, Forecast, History } from '../forecaster.js';
import type { DeepParams } from './params.js';
import { tf, initDeep } from './backend.js';
import type { ArchDims, Architecture, Samples } from './architecture.js';
import { seasonOf } from './architecture.js';
import { buildSeries, calendarWidth, fitNormaliser, setPeriod, type DeepSeries, type Normaliser } from './series.js';
import { forward, train, type TrainResult } from './train.js';
import { meanFrom, offsetFor, type DeepLoss } from './losses.js';
import { seedWeights } from './init.js';
import { copyWeights, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { quantiseModel, type QuantReport } from './quantise.js';
// registers ST-ResNet's custom layer, which loading its checkpoint needs before any st-resnet is built
import './nets/st-resnet.js';
import { fitNegBinSizePerCategory, withNegBin } from '../dispersion.js';
import { bernoulliForecast, poissonForecast } from '../distribution.js';
import type { SpatialUnits } from '../../space/units.js';
import type { PeriodUnit } from '../../tensor/count-tensor.js';
import { UserError } from '../../util/errors.js';

/** Builds the architecture from dimensions and the tensor's period unit. */
export type ArchFactory = (dims: ArchDims, unit: PeriodUnit) => Architecture;

/** Region at each cell of the units' lattice, or undefined for units that are not a grid. */
export function latticeOf(units: SpatialUnits | undefined): ArchDims['lattice'] {
  if (!units) return undefined;
  if (units.lattice) {
    const n = units.lattice.rows * units.lattice.cols;
    if (n !== units.n) return undefined;
    return { ...units.lattice, cellRegion: Int32Array.from({ length: n }, (_, i) => i) };
  }
  // masked metre grids keep the full lattice and the region of each of its cells
  const g = units as SpatialUnits & { fullLattice?: { rows: number; cols: number }; regionOfCell?: Int32Array };
  if (g.fullLattice && g.regionOfCell) return { ...g.fullLattice, cellRegion: g.regionOfCell };
  return undefined;
}

export interface Meta {
  name: string;
  params: Record<string, unknown>;
  dims: Omit<ArchDims, 'adjacency' | 'lattice'> & {
    adjacency?: { offsets: number[]; neighbors: number[] };
    lattice?: { rows: number; cols: number; cellRegion: number[] };
  };
  unit: PeriodUnit;
  norm: Normaliser;
  size: number[] | null;
  binary: boolean;
}

export class DeepModel {
  private model: tf.LayersModel | null = null;
  private arch: Architecture | null = null;
  private dims: ArchDims | null = null;
  private unit: PeriodUnit = 'day';
  private norm: Normaliser | null = null;
  private size: Float64Array | null = null;
  /** bce on 0/1 data: forecasts are Bernoulli probabilities rather than counts. */
  private binary = false;
  /** Loss curves and timing of the last fit. */
  lastTraining: TrainResult | null = null;
  /** What post-training quantisation did (null when not quantised). */
  quantisation: QuantReport | null = null;

  constructor(
    readonly name: string,
    readonly params: Readonly<DeepParams & Record<string, unknown>>,
    private readonly makeArch: ArchFactory,
  ) {}

  async fit(history: History, opts: FitOptions = {}): Promise<void> {
    await initDeep();
    const t = history.tensor, T = t.periods, R = t.regions, C = t.categories;
    const p = this.params;
    const dims: ArchDims = {
      regions: R, categories: C, calWidth: calendarWidth(t.unit), season: seasonOf(t.unit),
      lookback: p.lookback, hidden: p.hidden, adjacency: history.units?.adjacency, lattice: latticeOf(history.units),
    };
    if (history.units && history.units.n !== R) throw new Error(`${this.name}: ${history.units.n} units but ${R} regions in the tensor`);
    const arch = this.makeArch(dims, t.unit);
    const V = Math.min(p.validation, Math.floor((T - arch.reach) / 4));
    const trainEnd = T - V, trainFrom = Math.max(arch.reach, trainEnd - p.trainPeriods);
    if (trainEnd - trainFrom < 2) {
      throw new UserError(`${this.name}: needs more history than ${T} periods (it reads ${arch.reach} periods back and holds out ${V} for validation); lower lookback or give a longer history`);
    }
    const norm = fitNormaliser(t, Math.max(0, trainFrom - arch.reach), trainEnd);
    let maxCount = 0;
    for (let i = 0; i < T * R * C; i++) if (t.data[i] > maxCount) maxCount = t.data[i];
    this.binary = p.loss === 'bce' && maxCount <= 1;
    const series = buildSeries(t, norm);
    const trainSet = samplesFor(arch, trainFrom, trainEnd, R), valSet = samplesFor(arch, trainEnd, T, R);

    this.dispose();
    const model = arch.build();
    seedWeights(model, opts.seed ?? p.seed);
    if (p.init) {
      const { model: pre } = await loadCheckpoint<Meta>(p.init);
      copyWeights(pre, model);
      pre.dispose();
    }
    this.model = model; this.arch = arch; this.dims = dims; this.unit = t.unit; this.norm = norm;
    this.lastTraining = train(model, arch, series, trainSet, valSet, {
      epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, patience: p.patience, loss: p.loss,
      posWeight: p.posWeight, seed: opts.seed ?? p.seed, samplesPerEpoch: p.samplesPerEpoch, signal: opts.signal,
      onEpoch: (e, tl, vl) => opts.onProgress?.((e + 1) / p.epochs, `epoch ${e + 1}/${p.epochs} loss ${tl.toFixed(4)} val ${vl.toFixed(4)}`),
    });
    this.quantisation = p.quantise === 'none' ? null : quantiseModel(model, p.quantise);
    this.size = null;
    if (p.dist === 'negbin' && V > 0 && !this.binary) {
      // NB size from forecasts of periods the network never trained on
      const mu = this.means(series, valSet);
      const y = new Float32Array(mu.length);
      for (let i = 0; i < valSet.t.length; i++) {
        const base = arch.sampling === 'region' ? i * C : i * R * C;
        const src = arch.sampling === 'region' ? (valSet.t[i] * R + valSet.r[i]) * C : valSet.t[i] * R * C;
        const n = arch.sampling === 'region' ? C : R * C;
        for (let k = 0; k < n; k++) y[base + k] = t.data[src + k];
      }
      this.size = fitNegBinSizePerCategory(y, mu, C);
    }
    if (p.checkpoint) await this.save(p.checkpoint);
    opts.onProgress?.(1);
  }

  /**
   * Expected counts for the samples: C values per sample for 'region' sampling (sample order), R·C per sample
   * for 'period' sampling (region order within each sample).
   */
  private means(s: DeepSeries, samples: Samples): Float32Array {
    const arch = this.arch!, model = this.model!, C = s.categories, R = s.regions, loss = this.params.loss;
    const P = arch.sampling === 'region' ? 1 : arch.positionRegion.length;
    const per = arch.sampling === 'region' ? C : R * C;
    const out = new Float32Array(samples.t.length * per);
    const bs = Math.max(this.params.batchSize, 256);
    for (let a = 0; a < samples.t.length; a += bs) {
      const b = Math.min(samples.t.length, a + bs);
      const batch = { t: samples.t.subarray(a, b), r: samples.r.subarray(a, b) };
      const outT = tf.tidy(() => forward(model, arch, s, batch, P * C, false));
      const raw = outT.dataSync() as Float32Array;
      outT.dispose();
      for (let i = 0; i < b - a; i++) {
        for (let pos = 0; pos < P; pos++) {
          const r = arch.sampling === 'region' ? batch.r[i] : arch.positionRegion[pos];
          if (r < 0) continue;
          const o = arch.sampling === 'region' ? (a + i) * C : (a + i) * R * C + r * C;
          for (let c = 0; c < C; c++) out[o + c] = meanFrom(loss, raw[(i * P + pos) * C + c] + offsetFor(loss, s.offset[r * C + c]));
        }
      }
    }
    return out;
  }

  async predict(history: History, horizon: number): Promise<Forecast> {
    if (!this.model || !this.norm || !this.arch) throw new Error(`${this.name}: predict called before fit`);
    await initDeep();
    const t = history.tensor, T = t.periods, R = t.regions, C = t.categories;
    if (T < this.arch.reach) throw new UserError(`${this.name}: needs ${this.arch.reach} periods of history to forecast, got ${T}`);
    const s = buildSeries(t, this.norm, horizon);
    const mean = new Float32Array(horizon * R * C);
    for (let h = 0; h < horizon; h++) {
      const step = this.means(s, samplesFor(this.arch, T + h, T + h + 1, R));
      mean.set(step, h * R * C);
      setPeriod(s, this.norm, T + h, step);
    }
    if (this.binary) return bernoulliForecast(mean.map((m) => -Math.expm1(-m)), horizon, R, C);
    const f = poissonForecast(mean, horizon, R, C);
    return this.params.dist === 'negbin' && this.size ? withNegBin(f, this.size) : f;
  }

  /** The trained network (for quantisation and inspection). */
  get network(): tf.LayersModel | null {
    return this.model;
  }

  async save(dir: string): Promise<void> {
    if (!this.model || !this.norm || !this.dims) throw new Error(`${this.name}: save called before fit`);
    const d = this.dims;
    const meta: Meta = {
      name: this.name, params: { ...this.params }, unit: this.unit, norm: this.norm, binary: this.binary,
      size: this.size ? Array.from(this.size, (v) => (Number.isFinite(v) ? v : -1)) : null,
      dims: {
        ...d,
        adjacency: d.adjacency ? { offsets: Array.from(d.adjacency.offsets), neighbors: Array.from(d.adjacency.neighbors) } : undefined,
        lattice: d.lattice ? { rows: d.lattice.rows, cols: d.lattice.cols, cellRegion: Array.from(d.lattice.cellRegion) } : undefined,
      },
    };
    await saveCheckpoint(dir, this.model, meta);
  }

  /** A checkpoint's network and state, for restore. */
  static async read(dir: string): Promise<{ model: tf.LayersModel; meta: Meta }> {
    await initDeep();
    return loadCheckpoint<Meta>(dir);
  }

  /** Take over a loaded network and its fitted state (see loadDeepForecaster). */
  restore(model: tf.LayersModel, meta: Meta): void {
    const d = meta.dims;
    const dims: ArchDims = {
      ...d,
      adjacency: d.adjacency ? { offsets: Int32Array.from(d.adjacency.offsets), neighbors: Int32Array.from(d.adjacency.neighbors) } : undefined,
      lattice: d.lattice ? { rows: d.lattice.rows, cols: d.lattice.cols, cellRegion: Int32Array.from(d.lattice.cellRegion) } : undefined,
    };
    this.dispose();
    this.model = model; this.dims = dims; this.unit = meta.unit; this.arch = this.makeArch(dims, meta.unit); this.norm = meta.norm;
    this.size = meta.size ? Float64Array.from(meta.size, (v) => (v < 0 ? Infinity : v)) : null;
    this.binary = meta.binary;
  }

  dispose(): void {
    this.model?.dispose();
    this.model = null;
  }
}

/** Every (target period, region) pair — or every target period — in [from, to). */
export function samplesFor(arch: Architecture, from: number, to: number, regions: number): Samples {
  const n = Math.max(0, to - from);
  if (arch.sampling === 'period') return { t: Int32Array.from({ length: n }, (_, i) => from + i), r: new Int32Array(n).fill(-1) };
  const t = new Int32Array(n * regions), r = new Int32Array(n * regions);
  for (let i = 0; i < n; i++) for (let k = 0; k < regions; k++) { t[i * regions + k] = from + i; r[i * regions + k] = k; }
  return { t, r };
}
