/**
 * `kde`: retrospective hot-spot mapping. A KDE of each category's incidents in a look-back window,
 * integrated over every region, gives the spatial distribution; the recent per-period rate gives the level.
 */
import { z } from 'zod';
import type { Forecast, Forecaster, History } from '../forecaster.js';
import { registerForecaster } from '../registry.js';
import { kdeAtRegions } from './region-kde.js';
import { categoryEvents, recentRate, requireUnits, scoresToForecast } from './history-points.js';
import { bandwidthParam, floorParam, kernelParam, rateWindowParam } from './params.js';

const params = z.object({
  kernel: kernelParam.default('quartic'),
  /**
   * Quartic radius in metres, or scott | silverman | lcv. Default 400 m: on geocoded crime data (many events
   * share a block-face coordinate) LCV collapses to tens of metres (27 m on Chicago 2016–17, bench/kde.mjs)
   * and the city-wide rules of thumb give ~1–2.5 km, neither a good hot-spot scale.
   */
  bandwidth: bandwidthParam.default(400),
  /** Look-back window of incidents that shape the surface, days. */
  windowDays: z.coerce.number().positive().default(365),
  /** Days over which the per-period rate is averaged. */
  rateWindowDays: rateWindowParam,
  floor: floorParam,
});
type Params = z.infer<typeof params>;

export class KdeForecaster implements Forecaster {
  readonly name = 'kde';
  private score: Float64Array[] | null = null;
  private rate: Float64Array | null = null;
  /** Bandwidth used per category (metres), for reporting. */
  bandwidths: number[] = [];

  constructor(readonly params: Params) {}

  fit(history: History): void {
    const units = requireUnits(history, this.name);
    const C = history.tensor.categories;
    this.score = [];
    this.bandwidths = [];
    for (let c = 0; c < C; c++) {
      const ev = categoryEvents(history, c, this.params.windowDays);
      if (ev.lat.length < 2) { this.score.push(new Float64Array(units.n)); this.bandwidths.push(NaN); continue; }
      const res = kdeAtRegions({ lat: ev.lat, lon: ev.lon, w: ev.w }, units, { kernel: this.params.kernel, bandwidth: this.params.bandwidth });
      this.score.push(res.mass);
      this.bandwidths.push(res.bandwidth);
    }
    this.rate = recentRate(history.tensor, this.params.rateWindowDays);
  }

  predict(history: History, horizon: number): Forecast {
    if (!this.score || !this.rate) throw new Error('kde: predict called before fit');
    return scoresToForecast(this.score, history, this.rate, horizon, this.params.floor);
  }
}

registerForecaster({
  name: 'kde',
  family: 'kernel',
  description: 'Retrospective kernel density hot spots: KDE of recent incidents per category, integrated per region, scaled to the recent rate',
  params,
  needs: { incidents: true, units: true },
  create: (p) => new KdeForecaster(p),
});
