/**
 * The static baseline: every day, patrol the k cells with the highest moving-average forecast (a registered
 * CrimeCast forecaster, default moving-average:window=30) fitted on the observed history. Unobserved cells
 * (semi-bandit mode) are imputed with yesterday's forecast so the moving average never reads a NaN.
 */
import '../../models/baselines/moving-average.js';
import { createForecaster } from '../../models/registry.js';
import { createTensor, slicePeriods, type CountTensor } from '../../tensor/count-tensor.js';
import type { Forecaster } from '../../models/forecaster.js';
import { topKIndices, type PatrolPolicy, type PolicyContext } from '../simulator/policy.js';

const DAY_MS = 86_400_000;

export class TopKForecastPolicy implements PatrolPolicy {
  readonly name: string;
  private model: Forecaster;
  private tensor!: CountTensor;
  private days = 0;
  private k = 0;
  private forecast = new Float64Array(0);

  constructor(readonly spec = 'moving-average:window=30', capacityDays = 2000) {
    this.name = `topk(${spec})`;
    this.model = createForecaster(spec);
    this.capacity = capacityDays;
  }
  private capacity: number;

  init(ctx: PolicyContext): void {
    const R = ctx.regions;
    this.capacity = Math.max(this.capacity, ctx.historyDays + 1);
    this.tensor = createTensor({
      periods: this.capacity, regions: R, categories: 1, categoryNames: ['all'], regionIds: Array.from({ length: R }, (_, i) => String(i)),
      periodStart: Float64Array.from({ length: this.capacity }, (_, d) => d * DAY_MS), unit: 'day', tz: 'UTC',
    });
    this.tensor.data.set(Float32Array.from(ctx.history.subarray(0, ctx.historyDays * R), (v) => (Number.isNaN(v) ? 0 : v)));
    this.days = ctx.historyDays;
    this.k = ctx.k;
    this.forecast = new Float64Array(R);
    this.refresh();
  }

  private refresh(): void {
    const hist = { tensor: slicePeriods(this.tensor, 0, this.days) };
    this.model.fit(hist);
    const f = this.model.predict(hist, 1) as { mean: Float32Array };
    for (let r = 0; r < this.forecast.length; r++) this.forecast[r] = f.mean[r];
  }

  choose(): Int32Array {
    return topKIndices(this.forecast, this.k);
  }

  update(observed: Float64Array): void {
    const R = this.forecast.length;
    if (this.days >= this.capacity) throw new Error('TopKForecastPolicy: history capacity exceeded');
    const row = this.tensor.data.subarray(this.days * R, (this.days + 1) * R);
    for (let r = 0; r < R; r++) row[r] = Number.isNaN(observed[r]) ? this.forecast[r] : observed[r];
    this.days++;
    this.refresh();
  }
}
