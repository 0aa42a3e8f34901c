/**
 * Published forecasts: each one is a model fitted on all of a dataset up to the end of its last period, forecasting
 * the next periods. The board keeps the latest per model and dataset (older ones stay readable by id until evicted),
 * with the GeoJSON serialised once so the hot read path is a string copy.
 */
import { forecastGeoJSON } from '../../forecast/export.js';
import { produceForecast } from '../../forecast/produce.js';
import { incidentsBefore } from '../../data/incident-table.js';
import { buildDataset } from '../../tensor/dataset.js';
import { isoLocal } from '../../time/bins.js';
import { forecastOrigin, partialPeriodNote } from '../../forecast/origin.js';
import type { SpatialUnits } from '../../space/units.js';
import { UserError } from '../../util/errors.js';
import { HttpError } from '../http-error.js';
import type { Datasets } from './datasets.js';
import { checkModel, checkUnits, type AnalysisSpec } from './spec.js';

export interface ForecastRequest extends AnalysisSpec { model: string; horizon: number; coverage: number; seed?: number }

export interface Publication {
  id: number;
  request: ForecastRequest;
  source: 'api' | 'schedule';
  publishedAt: string;
  /** Dataset version the model was fitted on. */
  dataVersion: number;
  summary: {
    from: string; to: string; regions: number; categories: string[]; trainedOnIncidents: number; expectedTotal: number; flaggedRegions: number; fitSeconds: number;
    /** The current period, not yet ended, was left out of training (its incidents so far would look like a quiet period). */
    partialPeriodLeftOut?: { from: string; incidents: number; note: string };
  };
  /** The GeoJSON, encoded once: the read path writes these bytes as they are. */
  geojson: Uint8Array<ArrayBuffer>;
  units: SpatialUnits;
  regionIds: string[];
  /** Observed counts per period and region (all categories), periods × R, and each period's start. */
  history: { start: Float64Array; counts: Float32Array };
  /** Forecast mean per horizon period and region (all categories), h × R. */
  forecast: { start: Float64Array; mean: Float32Array };
  expected: Float64Array;
  tz: string;
}

export function boardKey(r: Pick<ForecastRequest, 'dataset' | 'model'>): string {
  return `${r.dataset}\u0000${r.model}`;
}

export class ForecastBoard {
  private byId = new Map<number, Publication>();
  private latest = new Map<string, number>();
  private nextId = 1;
  constructor(private readonly keep = 50) {}

  publish(p: Omit<Publication, 'id'>): Publication {
    const pub = { ...p, id: this.nextId++ };
    this.byId.set(pub.id, pub);
    this.latest.set(boardKey(p.request), pub.id);
    // evict the oldest publications that are no longer anyone's latest
    const live = new Set(this.latest.values());
    for (const id of this.byId.keys()) {
      if (this.byId.size <= this.keep) break;
      if (!live.has(id)) this.byId.delete(id);
    }
    return pub;
  }

  get(id: number): Publication | undefined { return this.byId.get(id); }

  latestFor(dataset?: string, model?: string): Publication | undefined {
    let best: Publication | undefined;
    for (const id of this.latest.values()) {
      const p = this.byId.get(id)!;
      if ((dataset === undefined || p.request.dataset === dataset) && (model === undefined || p.request.model === model) && (!best || p.id > best.id)) best = p;
    }
    return best;
  }

  list(): Publication[] {
    return [...this.latest.values()].map((id) => this.byId.get(id)!).sort((a, b) => b.id - a.id);
  }
}

/** Fit on every incident of the dataset and forecast the periods after the last one (what `crimecast forecast` does by default). */
export async function makeForecast(datasets: Datasets, r: ForecastRequest, source: Publication['source'], now = Date.now()): Promise<Omit<Publication, 'id'>> {
  checkModel(r.model);
  checkUnits(r.units);
  const dataVersion = datasets.version(r.dataset);
  const all = await datasets.incidents(r.dataset, { categories: r.categories });
  if (all.n === 0) throw new HttpError(422, `dataset "${r.dataset}" has no incidents to fit on`);
  // the cut-off is the start of the first forecast period; a period still running now is not history
  const origin = forecastOrigin(all.t, r.period, all.tz, now);
  const cutoff = origin.cutoff;
  const partial = partialPeriodNote(origin, r.period, (ms) => isoLocal(ms, all.tz));
  const past = incidentsBefore(all, cutoff);
  let data;
  try {
    data = buildDataset(past, { units: r.units, period: r.period, end: cutoff, categories: r.categories });
  } catch (e) {
    if (e instanceof UserError) throw new HttpError(400, e.message, e.hint);
    throw e;
  }
  const product = await produceForecast(data, r.model, r.horizon, { coverage: r.coverage, seed: r.seed ?? 1 });
  const t = data.tensor, R = t.regions, C = t.categories;
  const counts = new Float32Array(t.periods * R);
  for (let p = 0; p < t.periods; p++) for (let i = 0; i < R; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += t.data[(p * R + i) * C + c];
    counts[p * R + i] = s;
  }
  const H = product.periodStart.length, mean = new Float32Array(H * R);
  for (let h = 0; h < H; h++) for (let i = 0; i < R; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += product.forecast.mean[(h * R + i) * C + c];
    mean[h * R + i] = s;
  }
  const fc = forecastGeoJSON(product, data.units);
  return {
    request: r, source, publishedAt: new Date().toISOString(), dataVersion,
    summary: {
      from: isoLocal(product.periodStart[0], product.tz), to: isoLocal(product.periodEnd, product.tz), regions: R, categories: product.categories,
      trainedOnIncidents: past.n, expectedTotal: +product.expected.reduce((a, b) => a + b, 0).toFixed(3),
      flaggedRegions: product.flagged.reduce((a, b) => a + b, 0), fitSeconds: +product.fitSeconds.toFixed(3),
      ...(origin.partial ? { partialPeriodLeftOut: { from: isoLocal(origin.partial.periodStart, all.tz), incidents: origin.partial.incidents, note: partial! } } : {}),
    },
    geojson: new TextEncoder().encode(JSON.stringify({ ...fc, crimecast: { ...fc.crimecast, dataset: r.dataset, units: r.units } })),
    units: data.units, regionIds: t.regionIds,
    history: { start: Float64Array.from(t.periodStart), counts },
    forecast: { start: Float64Array.from(product.periodStart), mean },
    expected: product.expected, tz: product.tz,
  };
}

/** One region's observed counts (the last `periods` periods) and forecast, for the time-series chart. */
export function regionSeries(p: Publication, region: string, periods = 120) {
  const r = p.regionIds.indexOf(region);
  if (r < 0) throw new HttpError(404, `no region "${region}" in forecast ${p.id}`, 'use an id from the forecast GeoJSON (feature id)');
  const R = p.regionIds.length, P = p.history.start.length, H = p.forecast.start.length;
  const from = Math.max(0, P - periods);
  return {
    forecast: p.id, region, model: p.request.model, unit: p.request.period,
    observed: Array.from({ length: P - from }, (_, k) => ({ start: isoLocal(p.history.start[from + k], p.tz), count: p.history.counts[(from + k) * R + r] })),
    predicted: Array.from({ length: H }, (_, h) => ({ start: isoLocal(p.forecast.start[h], p.tz), expected: +p.forecast.mean[h * R + r].toFixed(4) })),
  };
}
