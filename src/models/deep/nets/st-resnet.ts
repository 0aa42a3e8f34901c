/**
 * ST-ResNet (Zhang et al., AAAI 2017), as used for real-time crime forecasting (Wang et al. 2017):
 * closeness (the last periods), period (same phase of the previous cycles) and trend (same phase further back)
 * branches, each conv → residual units → conv, fused by learned per-cell weight maps, plus an external
 * (calendar) component mapped to a full map.
 */
import { tf } from '../backend.js';
import { headName, type ArchDims, type Architecture, type Samples } from '../architecture.js';
import type { DeepSeries } from '../series.js';
import { lagMaps, requireLattice } from './grid-nets.js';

/** Σ_i W_i ∘ X_i with one learned weight per cell and channel per input (the paper's parametric-matrix fusion). */
export class ParametricFusion extends tf.layers.Layer {
  static className = 'ParametricFusion';
  private maps: tf.LayerVariable[] = [];

  override build(shape: tf.Shape | tf.Shape[]): void {
    const shapes = shape as tf.Shape[];
    this.maps = shapes.map((s, i) => this.addWeight(`fusion_${i}`, s.slice(1) as number[], 'float32', tf.initializers.constant({ value: 1 / shapes.length })));
    this.built = true;
  }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
    return (shape as tf.Shape[])[0];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const xs = inputs as tf.Tensor[];
      return tf.addN(xs.map((x, i) => tf.mul(x, this.maps[i].read())));
    });
  }

  override getClassName(): string {
    return ParametricFusion.className;
  }
}
tf.serialization.registerClass(ParametricFusion);

/** Periods between "period" and "trend" samples for each time unit. */
const STEPS: Record<string, [number, number]> = { hour: [24, 168], day: [7, 28], week: [4, 52], month: [3, 12] };

export interface StResNetShape {
  closeness: number;
  period: number;
  trend: number;
  residualUnits: number;
}

export class StResNet implements Architecture {
  readonly sampling = 'period';
  readonly positionRegion: Int32Array;
  readonly reach: number;
  private readonly lat: NonNullable<ArchDims['lattice']>;
  private readonly lags: number[][];

  constructor(private readonly d: ArchDims, unit: string, private readonly shape: StResNetShape) {
    this.lat = requireLattice(d, 'st-resnet');
    this.positionRegion = this.lat.cellRegion;
    const [ps, ts] = STEPS[unit] ?? STEPS.day;
    const seq = (n: number, step: number) => Array.from({ length: n }, (_, j) => (n - j) * step);
    this.lags = [seq(shape.closeness, 1), seq(shape.period, ps), seq(shape.trend, ts)].filter((l) => l.length > 0);
    this.reach = Math.max(...this.lags.flat());
  }

  private branch(x: tf.SymbolicTensor): tf.SymbolicTensor {
    const { hidden: h, categories: C } = this.d;
    const conv = (filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' });
    let y = conv(h).apply(x) as tf.SymbolicTensor;
    for (let u = 0; u < this.shape.residualUnits; u++) {
      let r = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
      r = conv(h).apply(r) as tf.SymbolicTensor;
      r = tf.layers.activation({ activation: 'relu' }).apply(r) as tf.SymbolicTensor;
      r = conv(h).apply(r) as tf.SymbolicTensor;
      y = tf.layers.add().apply([y, r]) as tf.SymbolicTensor;
    }
    y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
    return tf.layers.conv2d({ filters: C, kernelSize: 3, padding: 'same', name: headName() }).apply(y) as tf.SymbolicTensor;
  }

  build(): tf.LayersModel {
    const { rows, cols } = this.lat, { categories: C, calWidth: K, hidden: h } = this.d;
    const ins = this.lags.map((l) => tf.input({ shape: [rows, cols, l.length * C] }));
    const ext = tf.input({ shape: [K] });
    const branches = ins.map((x) => this.branch(x));
    const fused = branches.length > 1 ? (new ParametricFusion({}).apply(branches) as tf.SymbolicTensor) : branches[0];
    let e = tf.layers.dense({ units: h, activation: 'relu' }).apply(ext) as tf.SymbolicTensor;
    e = tf.layers.dense({ units: rows * cols * C, name: headName() }).apply(e) as tf.SymbolicTensor;
    e = tf.layers.reshape({ targetShape: [rows, cols, C] }).apply(e) as tf.SymbolicTensor;
    const y = tf.layers.add().apply([fused, e]) as tf.SymbolicTensor;
    return tf.model({ inputs: [...ins, ext], outputs: y });
  }

  inputs(s: DeepSeries, batch: Samples): tf.Tensor[] {
    const { rows, cols } = this.lat, C = s.categories, K = s.calWidth, B = batch.t.length;
    const maps = this.lags.map((l) => tf.tensor4d(lagMaps(s, this.lat, batch, l, false), [B, rows, cols, l.length * C]));
    const ext = new Float32Array(B * K);
    for (let b = 0; b < B; b++) ext.set(s.cal.subarray(batch.t[b] * K, (batch.t[b] + 1) * K), b * K);
    return [...maps, tf.tensor2d(ext, [B, K])];
  }
}
