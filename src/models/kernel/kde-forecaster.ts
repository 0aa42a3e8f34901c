/**
 * `kde`: retrospective hot-spot mapping. A KDE of each category's incidents in a look-back window,
 * integrated over every region, gives the spatial distribution; the recent per-period rate gives the level.
 * Fit fixes the bandwidth per category (a rule such as lcv is resolved once); between refits `update` redraws the
 * surfaces from the longer history at those bandwidths, so forecasts always use every incident before the origin.
 */
import { z } from 'zod';
import type { FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { registerForecaster } from '../registry.js';
import { kdeAtRegions, kdeAtRegionsPlanar } from './region-kde.js';
import { unitsProjection } from './region-raster.js';
import { projectIncidents } from './projected-incidents.js';
import { categoryEvents, categoryIncidents, recentRate, requireUnits, scoresToForecast, surfaceSourceNote, surfaceStateKey } from './history-points.js';
import { bandwidthParam, floorParam, kernelParam, rateWindowParam } from './params.js';
import { convolutionBackend } from './convolve.js';

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
  private stateKey = '';
  private fromCentroids = false;
  /** Bandwidth used per category (metres), for reporting. */
  bandwidths: number[] = [];

  constructor(readonly params: Params) {}

  fit(history: History): void {
    this.bandwidths = [];
    this.draw(history, () => this.params.bandwidth);
  }

  /** Redraw the surfaces from the longer history at the fitted bandwidths (no-op when nothing new arrived). */
  update(history: History): void {
    if (!this.score) throw new Error('kde: update called before fit');
    if (surfaceStateKey(history) === this.stateKey) return;
    this.draw(history, (c) => (Number.isFinite(this.bandwidths[c]) ? this.bandwidths[c] : this.params.bandwidth));
  }

  private draw(history: History, bandwidthOf: (c: number) => Params['bandwidth']): void {
    const units = requireUnits(history, this.name);
    const C = history.tensor.categories, fitting = this.bandwidths.length === 0;
    const score: Float64Array[] = [];
    // with incidents: one pass splits them by category, and their planar coordinates are projected once and
    // extended as the history grows (projectIncidents), instead of per category per refit
    const inc = history.incidents, byCat = inc ? categoryIncidents(history, this.params.windowDays) : null;
    const all = inc ? projectIncidents(unitsProjection(units), inc.lat, inc.lon) : null;
    for (let c = 0; c < C; c++) {
      const opts = { kernel: this.params.kernel, bandwidth: bandwidthOf(c) };
      let bw = NaN, res = null;
      if (byCat && all) {
        const idx = byCat[c], n = idx.length, x = new Float64Array(n), y = new Float64Array(n);
        for (let k = 0; k < n; k++) { x[k] = all.x[idx[k]]; y[k] = all.y[idx[k]]; }
        if (n >= 2) res = kdeAtRegionsPlanar({ x, y }, units, opts);
      } else {
        const ev = categoryEvents(history, c, this.params.windowDays);
        if (ev.lat.length >= 2) res = kdeAtRegions({ lat: ev.lat, lon: ev.lon, w: ev.w }, units, opts);
      }
      if (!res) score.push(new Float64Array(units.n));
      else {
        score.push(res.mass);
        bw = res.bandwidth;
      }
      if (fitting) this.bandwidths.push(bw);
    }
    this.score = score;
    this.fromCentroids = !history.incidents;
    this.stateKey = surfaceStateKey(history);
  }

  predict(history: History, horizon: number): Forecast {
    if (!this.score) throw new Error('kde: predict called before fit');
    return scoresToForecast(this.score, history, recentRate(history.tensor, this.params.rateWindowDays), horizon, this.params.floor);
  }

  fitted(): FitSummary {
    const parameters: Record<string, number> = {};
    this.bandwidths.forEach((b, c) => { parameters[`bandwidth_m[${c}]`] = b; });
    const C = this.bandwidths.length;
    return {
      betweenRefits: 'updated', parameters,
      // only the Gaussian kernel is separable (Wasm SIMD passes); others are direct or FFT stencils in JS
      backend: this.params.kernel === 'gaussian' ? convolutionBackend() : `js (${this.params.kernel} stencil, direct or FFT)`,
      fallbacks: this.fromCentroids ? [{ ...surfaceSourceNote, count: C, of: C }] : undefined,
    };
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
