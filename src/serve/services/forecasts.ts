/**
 * Published forecasts: each one is a model fitted on all of a dataset up to the end of its last period, forecasting
 * the next periods. The board keeps the latest per model and dataset (older ones stay readable by id until evicted),
 * with the GeoJSON serialised once so the hot read path is a string copy.
 */
import { isoLocal } from '../../time/bins.js';
import type { SpatialUnits } from '../../space/units.js';
import type { RegionForecast } from '../../forecast/produce.js';
import type { DpRelease } from '../../responsible/privacy/publish-forecast.js';
import type { CellExplanation } from '../../models/explain/forecast-shap.js';
import { HttpError } from '../http-error.js';
import { checkAnalysisBudget } from './analysis-budget.js';
import type { Datasets } from './datasets.js';
import { HISTORY_PERIODS, runForecastAnywhere } from './forecast-run.js';
import { extentBBox, framedUnits, gridFrame } from './grid-frame.js';
import type { MapLimits } from './map-limits.js';
import { checkModel, checkUnits, type AnalysisSpec } from './spec.js';

export interface ForecastRequest extends AnalysisSpec {
  model: string; horizon: number; coverage: number; seed?: number;
  /** The unit set as built when it is not `units` itself: a CLI run's study area (e.g. grid:500,mask=incidents). */
  studyArea?: string;
  /** Publish under ε-differential privacy (publish-forecast.ts); the noise seed is drawn at random and never kept. */
  dpEpsilon?: number;
  /** With dpEpsilon: Δ assumed (default 1) and the noise distribution (default laplace). */
  dpSensitivity?: number;
  dpMechanism?: 'laplace' | 'geometric';
}

export interface Publication {
  id: number;
  request: ForecastRequest;
  /** Published through the API, by the retraining schedule, or saved by a CLI command (`crimecast demo`). */
  source: 'api' | 'schedule' | 'cli';
  publishedAt: string;
  /** Dataset version the model was fitted on. */
  dataVersion: number;
  summary: {
    from: string; to: string; regions: number; categories: string[]; trainedOnIncidents: number; expectedTotal: number; flaggedRegions: number; fitSeconds: number;
    /** The current period, not yet ended, was left out of training (its incidents so far would look like a quiet period). */
    partialPeriodLeftOut?: { from: string; incidents: number; note: string };
    /** Coverage not filled by zero-risk cells, a total outside its own interval around the recent rate. */
    warnings?: string[];
    /** The release under differential privacy: ε, mechanism, Δ assumed, noise per value; the observed history is withheld. */
    differentialPrivacy?: Omit<DpRelease, 'seed'> & { sensitivityNote: string; historyWithheld: string; composition: string };
  };
  /** The per-region forecast the exports (GeoPackage, Shapefile, KML, CSV, top places) are written from. */
  product: RegionForecast;
  /** The GeoJSON, encoded once: the read path writes these bytes as they are. */
  geojson: Uint8Array<ArrayBuffer>;
  units: SpatialUnits;
  regionIds: string[];
  /** Observed counts per period and region (all categories), periods × R, and each period's start: the last HISTORY_PERIODS periods (forecast-run.ts). */
  history: { start: Float64Array; counts: Float32Array };
  /** Forecast mean per horizon period and region (all categories), h × R. */
  forecast: { start: Float64Array; mean: Float32Array };
  expected: Float64Array;
  tz: string;
  /** TreeSHAP "why is this place high" for the top places of a tree model's forecast (forecast-run.ts), for analysts. */
  explanations?: PublishedExplanations;
}

export interface PublishedExplanations {
  /** What the numbers are: the model's margin scale, the period explained, how many places were kept. */
  note: string;
  places: number;
  cells: CellExplanation[];
}

export function boardKey(r: Pick<ForecastRequest, 'dataset' | 'model'>): string {
  return `${r.dataset}\u0000${r.model}`;
}

export class ForecastBoard {
  private byId = new Map<number, Publication>();
  private latest = new Map<string, number>();
  private nextId = 1;
  /** Called with each new publication: the server saves it (saved-results.ts). */
  onPublish: ((p: Publication) => void) | null = null;
  constructor(private readonly keep = 50) {}

  /** A publication made before a restart, with its id; later ids continue after it. */
  restore(p: Publication): void {
    this.byId.set(p.id, p);
    const key = boardKey(p.request), cur = this.latest.get(key);
    if (cur === undefined || cur < p.id) this.latest.set(key, p.id);
    if (p.id >= this.nextId) this.nextId = p.id + 1;
  }

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
    this.onPublish?.(pub);
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

export interface ForecastRunOptions {
  /** Fit in a worker thread (when the compiled worker exists). */
  threads: boolean;
  limits: Pick<MapLimits, 'maxCells' | 'maxTensorValues'>;
}

/** Fit on every incident of the dataset and forecast the periods after the last one (what `crimecast forecast` does by default). */
export async function makeForecast(datasets: Datasets, r: ForecastRequest, source: Publication['source'], o: ForecastRunOptions): Promise<Omit<Publication, 'id'>> {
  checkModel(r.model);
  if (r.dpEpsilon === undefined && (r.dpSensitivity !== undefined || r.dpMechanism !== undefined)) throw new HttpError(400, 'dpSensitivity and dpMechanism need dpEpsilon', 'add dpEpsilon (e.g. 1) to publish under differential privacy, or drop them');
  checkUnits(r.units);
  const dataVersion = datasets.version(r.dataset);
  const all = await datasets.incidents(r.dataset, { categories: r.categories });
  if (all.n === 0) throw new HttpError(422, `dataset "${r.dataset}" has no incidents to fit on`);
  const { bbox } = await datasets.info(r.dataset);
  checkAnalysisBudget(r.units, r.period, r.categories?.length ?? all.categories.length, all, o.limits, bbox ? gridFrame(bbox) : undefined);
  const { unitsSpec: _s, ...computed } = await runForecastAnywhere(all, r, o.threads, { units: framedUnits(r.units, bbox), bbox: extentBBox(bbox) });
  return { request: r, source, publishedAt: new Date().toISOString(), dataVersion, ...computed };
}

/** Observed counts shown to a viewer: sums over blocks of at least the policy's window, small sums withheld. */
export interface SeriesDisclosure { minDays: number; minCount: number }

const PERIOD_DAYS: Record<string, number> = { hour: 1 / 24, day: 1, week: 7, month: 28 };

/**
 * One region's observed counts (the last `periods` periods) and forecast, for the time-series chart. For viewers the
 * observed counts are summed over blocks of whole periods spanning at least `minDays` (counted back from the last
 * period; a shorter leading remainder is left out) and blocks holding 1 to minCount − 1 incidents are null.
 */
export function regionSeries(p: Publication, region: string, periods = 120, viewer: SeriesDisclosure | null = null) {
  const r = p.regionIds.indexOf(region);
  if (r < 0) throw new HttpError(404, `no region "${region}" in forecast ${p.id}`, 'use an id from the forecast GeoJSON (feature id)');
  const R = p.regionIds.length, P = p.history.start.length, H = p.forecast.start.length;
  const from = Math.max(0, P - periods);
  const predicted = Array.from({ length: H }, (_, h) => ({ start: isoLocal(p.forecast.start[h], p.tz), expected: +p.forecast.mean[h * R + r].toFixed(4) }));
  // a publication keeps only its last periods of history (HISTORY_PERIODS): say so when more were asked for
  const head = { forecast: p.id, region, model: p.request.model, unit: p.request.period, ...(p.summary.differentialPrivacy ? { historyWithheld: p.summary.differentialPrivacy.historyWithheld } : {}), ...(periods > P && P >= HISTORY_PERIODS ? { historyKept: { periods: P, note: `this forecast keeps the last ${P} ${p.request.period}s of observed counts` } } : {}) };
  if (!viewer) {
    return { ...head, observed: Array.from({ length: P - from }, (_, k) => ({ start: isoLocal(p.history.start[from + k], p.tz), count: p.history.counts[(from + k) * R + r] as number | null })), predicted };
  }
  const block = Math.max(1, Math.ceil(viewer.minDays / PERIOD_DAYS[p.request.period] - 1e-9));
  const observed: { start: string; count: number | null }[] = [];
  let suppressed = 0;
  for (let end = P; end - block >= from; end -= block) {
    let s = 0;
    for (let k = end - block; k < end; k++) s += p.history.counts[k * R + r];
    const hidden = s > 0 && s < viewer.minCount;
    if (hidden) suppressed++;
    observed.unshift({ start: isoLocal(p.history.start[end - block], p.tz), count: hidden ? null : s });
  }
  return {
    ...head, observed, predicted,
    disclosure: { periodsPerPoint: block, minCount: viewer.minCount, suppressedPoints: suppressed, leftOutPeriods: (P - from) % block, rule: `observed counts summed over ${block} ${p.request.period}(s); sums of 1–${viewer.minCount - 1} are withheld (null)` },
  };
}
