/**
 * `prospective` (Bowers–Johnson–Pease 2004 weights at region centroids) and `prospective-kde`
 * (a continuous variant: spatial KDE of recent events weighted by exponential or linear time decay,
 * integrated over each region). Both scale the spatial risk to the recent per-period rate.
 */
import { z } from 'zod';
import type { FitSummary, Forecast, Forecaster, History } from '../forecaster.js';
import { registerForecaster } from '../registry.js';
import { localProjection } from '../../space/projection.js';
import { categoryEvents, recentRate, requireUnits, scoresToForecast, surfaceSourceNote, surfaceStateKey } from './history-points.js';
import { bandwidthParam, floorParam, kernelParam, rateWindowParam } from './params.js';
import { prospectiveRisk } from './prospective-risk.js';
import { kdeAtRegions } from './region-kde.js';
import { timeDecayWeights } from './time-decay.js';

const bjpParams = z.object({
  /** Search radius, metres. */
  bandwidth: z.coerce.number().positive().default(400),
  /** Distance bands within the bandwidth (band width = bandwidth / cellBands; BJP: 400 m / 8 = 50 m cells). */
  cellBands: z.coerce.number().int().positive().default(8),
  /** Events older than this many weeks are ignored. */
  weeks: z.coerce.number().int().positive().default(8),
  rateWindowDays: rateWindowParam,
  floor: floorParam,
});

abstract class ScoreForecaster implements Forecaster {
  abstract readonly name: string;
  abstract readonly params: Readonly<Record<string, unknown>> & { rateWindowDays: number; floor: number };
  protected score: Float64Array[] | null = null;
  private stateKey = '';
  private fromCentroids = false;

  protected abstract categoryScore(history: History, c: number): Float64Array;

  /** Nothing is learned: the score is a fixed function of recent events, drawn at fit and redrawn at each update. */
  fit(history: History): void {
    this.draw(history);
  }

  update(history: History): void {
    if (!this.score) throw new Error(`${this.name}: update called before fit`);
    if (surfaceStateKey(history) !== this.stateKey) this.draw(history);
  }

  private draw(history: History): void {
    requireUnits(history, this.name);
    const score: Float64Array[] = [];
    for (let c = 0; c < history.tensor.categories; c++) score.push(this.categoryScore(history, c));
    this.score = score;
    this.fromCentroids = !history.incidents;
    this.stateKey = surfaceStateKey(history);
  }

  predict(history: History, horizon: number): Forecast {
    if (!this.score) throw new Error(`${this.name}: predict called before fit`);
    return scoresToForecast(this.score, history, recentRate(history.tensor, this.params.rateWindowDays), horizon, this.params.floor);
  }

  fitted(): FitSummary {
    const C = this.score?.length ?? 0;
    return { betweenRefits: 'updated', fallbacks: this.fromCentroids ? [{ ...surfaceSourceNote, count: C, of: C }] : undefined };
  }
}

export class ProspectiveForecaster extends ScoreForecaster {
  readonly name = 'prospective';
  constructor(readonly params: z.infer<typeof bjpParams>) { super(); }

  protected categoryScore(history: History, c: number): Float64Array {
    const u = history.units!;
    const ev = categoryEvents(history, c, this.params.weeks * 7);
    const proj = localProjection(mean(u.centroidLat), mean(u.centroidLon));
    const target = proj.forward(u.centroidLat, u.centroidLon);
    const p = proj.forward(ev.lat, ev.lon);
    return prospectiveRisk({ x: p.x, y: p.y, ageDays: ev.ageDays, w: ev.w }, target, {
      bandwidth: this.params.bandwidth,
      band: this.params.bandwidth / this.params.cellBands,
      weeks: this.params.weeks,
    });
  }
}

const stkdeParams = z.object({
  kernel: kernelParam.default('quartic'),
  bandwidth: bandwidthParam.default(400),
  decay: z.enum(['exponential', 'linear']).default('exponential'),
  /** Exponential: e-folding time; linear: length of the window over which weight falls to zero (days). */
  scaleDays: z.coerce.number().positive().default(28),
  /** Events older than this are ignored (days). */
  windowDays: z.coerce.number().positive().default(180),
  rateWindowDays: rateWindowParam,
  floor: floorParam,
});

export class ProspectiveKdeForecaster extends ScoreForecaster {
  readonly name = 'prospective-kde';
  constructor(readonly params: z.infer<typeof stkdeParams>) { super(); }

  protected categoryScore(history: History, c: number): Float64Array {
    const u = history.units!;
    const ev = categoryEvents(history, c, this.params.windowDays);
    const w = timeDecayWeights(ev.ageDays, this.params.decay, this.params.scaleDays);
    if (ev.w) for (let i = 0; i < w.length; i++) w[i] *= ev.w[i];
    let n = 0;
    for (let i = 0; i < w.length; i++) if (w[i] > 0) n++;
    if (n < 2) return new Float64Array(u.n);
    return kdeAtRegions({ lat: ev.lat, lon: ev.lon, w }, u, { kernel: this.params.kernel, bandwidth: this.params.bandwidth }).mass;
  }
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

registerForecaster({
  name: 'prospective',
  family: 'kernel',
  description: 'Prospective hot-spotting (Bowers, Johnson & Pease 2004): recent nearby events weighted 1/(1+distance band)·1/(1+weeks ago) at each region centroid',
  params: bjpParams,
  needs: { incidents: true, units: true },
  create: (p) => new ProspectiveForecaster(p),
});

registerForecaster({
  name: 'prospective-kde',
  family: 'kernel',
  description: 'Space-time KDE: kernel density of recent events with exponential or linear time decay, integrated per region',
  params: stkdeParams,
  needs: { incidents: true, units: true },
  create: (p) => new ProspectiveKdeForecaster(p),
});
