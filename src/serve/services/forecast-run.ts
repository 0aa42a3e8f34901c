/**
 * Fitting a model and forecasting for publication, off the event loop: model fits take seconds to minutes, and on
 * the main thread every other request (and /api/health) waited. The worker returns plain data and the unit set's
 * serialisable spec; the main thread rebuilds the unit set from it (cheap) for maps and allocations.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { incidentsBefore, type IncidentTable } from '../../data/incident-table.js';
import { forecastGeoJSON } from '../../forecast/export.js';
import { produceForecast, regionForecastOf, type ForecastProduct, type RegionForecast } from '../../forecast/produce.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import type { BBox } from '../../space/bbox.js';
import type { SpatialUnits } from '../../space/units.js';
import { unitsFromSpec } from '../../space/build-units.js';
import { buildDataset } from '../../tensor/dataset.js';
import { isoLocal } from '../../time/bins.js';
import { forecastOrigin, partialPeriodNote } from '../../forecast/origin.js';
import { UserError } from '../../util/errors.js';
import { privatizeForecast } from '../../responsible/privacy/publish-forecast.js';
import { randomInt } from 'node:crypto';
import { HttpError } from '../http-error.js';
import type { ForecastRequest, Publication, PublishedExplanations } from './forecasts.js';
import { explainForecastCells } from '../../models/explain/forecast-shap.js';
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import type { History } from '../../models/forecaster.js';
import { runWorker, type WorkerReply } from './off-thread.js';
import '../../models/all.js';

const DP_SENSITIVITY_NOTE = 'Δ is an assumption the publisher states: moving-average:window=w over h periods moves one region by at most h/w; learned models have no such bound';
// sequential composition (Dwork & Roth 2014, Thm 3.16): a retraining schedule that republishes spends ε each time
const DP_COMPOSITION_NOTE = 'each publication from the same incidents spends ε again: k of them (e.g. k scheduled retrainings) are together kε-differentially private';
const DP_HISTORY_NOTE = 'published under differential privacy: the observed counts per period (true counts) are not kept with this forecast';

/** Periods of observed counts a publication keeps for the per-area series (the dashboard's chart asks for 90). */
export const HISTORY_PERIODS = 180;

export type ForecastComputed = Omit<Publication, 'id' | 'request' | 'source' | 'publishedAt' | 'dataVersion' | 'units'> & { unitsSpec: Record<string, unknown> };

/**
 * Fit on every incident before the last period and forecast the periods after it (what `crimecast forecast` does by
 * default). `o.units` is the request's unit spec with the dataset's grid frame spelled out (grid-frame.ts).
 */
export async function computeForecast(all: IncidentTable, r: ForecastRequest, o: { now?: number; units?: string; bbox?: BBox } = {}): Promise<ForecastComputed> {
  const now = o.now ?? Date.now(), units = o.units ?? r.units;
  // the cut-off is the start of the first forecast period; a period still running now is not history (see forecast/origin.ts)
  const origin = forecastOrigin(all.t, r.period, all.tz, now);
  const cutoff = origin.cutoff;
  const partial = partialPeriodNote(origin, r.period, (ms) => isoLocal(ms, all.tz));
  const past = incidentsBefore(all, cutoff);
  let data;
  try {
    data = buildDataset(past, { units, bbox: o.bbox, period: r.period, end: cutoff, categories: r.categories });
  } catch (e) {
    if (e instanceof UserError) throw new HttpError(400, e.message, e.hint);
    throw e;
  }
  const trueProduct = await produceForecast(data, r.model, r.horizon, { coverage: r.coverage, seed: r.seed ?? 1 });
  const partialNote = origin.partial ? { from: isoLocal(origin.partial.periodStart, all.tz), incidents: origin.partial.incidents, note: partial! } : undefined;
  if (r.dpEpsilon === undefined) return { ...publishedForm(trueProduct, data, r, past.n, partialNote), ...explanationsOf(r.model, trueProduct, data) };
  // everything published comes from the noisy values; the noise seed is random and not kept (it would reproduce the noise)
  const { product, release } = privatizeForecast(trueProduct, data.units.area, r.dpMechanism ?? 'laplace', { epsilon: r.dpEpsilon, sensitivity: r.dpSensitivity ?? 1 }, randomInt(2 ** 31));
  const out = publishedForm(product, data, r, past.n, partialNote, true);
  const { seed: _secret, ...published } = release;
  out.summary.differentialPrivacy = { ...published, sensitivityNote: DP_SENSITIVITY_NOTE, historyWithheld: DP_HISTORY_NOTE, composition: DP_COMPOSITION_NOTE };
  return out;
}

/**
 * A forecast as the board keeps it: summary, GeoJSON, per-region product, the last HISTORY_PERIODS periods of
 * observed counts and the per-period means (all categories). Also how `crimecast demo` saves its forecast for `serve`.
 */
export function publishedForm(product: ForecastProduct, data: { tensor: CountTensor; units: SpatialUnits }, r: Pick<ForecastRequest, 'dataset' | 'units' | 'studyArea'>, trainedOnIncidents: number, partialPeriodLeftOut?: Publication['summary']['partialPeriodLeftOut'], withholdHistory = false): ForecastComputed {
  const t = data.tensor, R = t.regions, C = t.categories;
  // the observed history the series chart reads: the last HISTORY_PERIODS periods (the whole history made a saved
  // forecast of the demo 9.4 MB and every publication on the board as large in memory); none under DP (true counts)
  const first = withholdHistory ? t.periods : Math.max(0, t.periods - HISTORY_PERIODS), kept = t.periods - first;
  const counts = new Float32Array(kept * R);
  for (let p = 0; p < kept; p++) for (let i = 0; i < R; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += t.data[((first + p) * R + i) * C + c];
    counts[p * R + i] = s;
  }
  const H = product.periodStart.length, mean = new Float32Array(H * R);
  for (let h = 0; h < H; h++) for (let i = 0; i < R; i++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += product.forecast.mean[(h * R + i) * C + c];
    mean[h * R + i] = s;
  }
  const region = regionForecastOf(product);
  return {
    summary: {
      from: isoLocal(product.periodStart[0], product.tz), to: isoLocal(product.periodEnd, product.tz), regions: R, categories: product.categories,
      trainedOnIncidents, expectedTotal: +product.expected.reduce((a, b) => a + b, 0).toFixed(3),
      flaggedRegions: product.flagged.reduce((a, b) => a + b, 0), fitSeconds: +product.fitSeconds.toFixed(3),
      warnings: product.warnings,
      ...(partialPeriodLeftOut ? { partialPeriodLeftOut } : {}),
    },
    geojson: publicationGeoJSON(region, data.units, r),
    product: region,
    unitsSpec: data.units.spec, regionIds: [...t.regionIds],
    history: { start: Float64Array.from(t.periodStart.subarray(first)), counts },
    forecast: { start: Float64Array.from(product.periodStart), mean },
    expected: region.expected, tz: product.tz,
  };
}

/** Places whose forecast is explained at publication (the top of the list an analyst briefs from). */
export const EXPLAINED_PLACES = 25;

/**
 * TreeSHAP contributions for the top EXPLAINED_PLACES places × every category of a tree model's forecast: computed
 * with the fitted model at hand (a publication does not keep the model). None for other models, or under DP (the
 * contributions are read from the true counts).
 */
function explanationsOf(model: string, product: ForecastProduct, data: History & { units: SpatialUnits }): { explanations?: PublishedExplanations } {
  if (getForecasterInfo(parseModelSpec(model).name).family !== 'trees') return {};
  const R = data.tensor.regions, C = data.tensor.categories;
  const top = [...Array(R).keys()].sort((a, b) => product.rank[a] - product.rank[b]).slice(0, Math.min(EXPLAINED_PLACES, R));
  const cells = explainForecastCells(product.fitted, data, top.flatMap((region) => Array.from({ length: C }, (_, category) => ({ region, category }))), 8);
  const period = isoLocal(product.periodStart[0], product.tz);
  return {
    explanations: {
      note: `TreeSHAP contributions of each feature to the model's ${cells[0]?.scale ?? 'margin'} for the period from ${period}, for the ${top.length} highest-ranked places and every category; base + the sum of all contributions = the margin (the 8 largest are kept)`,
      places: top.length, cells,
    },
  };
}

/** A publication's GeoJSON bytes: the forecast's, with the request's dataset and units (a saved publication rebuilds these from its product). */
export function publicationGeoJSON(product: RegionForecast, units: SpatialUnits, r: Pick<ForecastRequest, 'dataset' | 'units' | 'studyArea'>): Uint8Array<ArrayBuffer> {
  const fc = forecastGeoJSON(product, units);
  return new TextEncoder().encode(JSON.stringify({ ...fc, crimecast: { ...fc.crimecast, dataset: r.dataset, units: r.units, ...(r.studyArea ? { studyArea: r.studyArea } : {}) } }));
}

export const FORECAST_WORKER = fileURLToPath(new URL('../../../dist/serve/services/forecast-worker.js', import.meta.url));

export type ForecastWorkerReply = WorkerReply<ForecastComputed>;

/** In a worker thread when `threads` and the compiled worker exist; in-process otherwise. */
export async function runForecastAnywhere(all: IncidentTable, r: ForecastRequest, threads: boolean, frame: { units?: string; bbox?: BBox } = {}): Promise<ForecastComputed & { units: Publication['units'] }> {
  const out = threads && existsSync(FORECAST_WORKER) ? await inWorker(all, r, frame) : await computeForecast(all, r, frame);
  return { ...out, units: unitsFromSpec(out.unitsSpec) };
}

function inWorker(table: IncidentTable, request: ForecastRequest, frame: { units?: string; bbox?: BBox }): Promise<ForecastComputed> {
  return runWorker<ForecastComputed>(FORECAST_WORKER, { table, request, frame }, 'forecast');
}
