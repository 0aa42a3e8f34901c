/** Backtests (jobs), forecasts (latest per model, GeoJSON, per-area series), hot-spot statistics, fairness audits, allocations. */
import { z } from 'zod';
import { allocate } from '../../action/allocation/allocate.js';
import { parseCoverageModel } from '../../action/allocation/coverage-model.js';
import { planGeoJSON } from '../../action/allocation/plan-output.js';
import { buildModelCard } from '../../responsible/model-card/build.js';
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { param, route, type Ctx, type Route } from '../route-table.js';
import { runBacktestAnywhere, type BacktestOutcome } from '../services/backtest-run.js';
import { makeForecast, regionSeries, type Publication } from '../services/forecasts.js';
import { EXPLAINED_PLACES, HISTORY_PERIODS } from '../services/forecast-run.js';
import { similarAreas } from '../services/similar-areas.js';
import type { Job } from '../services/jobs.js';
import { serveMap } from '../services/map-request.js';
import { checkViewerUnits } from '../services/viewer-policy.js';
import { attachment, FORECAST_EXPORT_FORMATS, FORECAST_EXPORT_HELP, forecastExport, type ExportFile } from '../services/forecast-exports.js';
import { PLAN_EXPORT_FORMATS, planExport, planUnits, withPlaces, type Plan } from '../services/plan-exports.js';
import type { UserRecord } from '../auth/users.js';
import { checkAnalysisBudget } from '../services/analysis-budget.js';
import { runAuditAnywhere } from '../services/audit-run.js';
import { extentBBox, framedUnits, gridFrame } from '../services/grid-frame.js';
import { analysisFields, checkModel, checkUnits, coverageShare, datasetName, modelSpec, unitsSpec } from '../services/spec.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD');

export const forecastBody = z.object({
  ...analysisFields,
  model: modelSpec,
  horizon: z.number().int().min(1).max(366).default(7).describe('periods ahead'),
  coverage: coverageShare,
  seed: z.number().int().min(0).default(1),
  dpEpsilon: z.number().positive().max(20).optional().describe('publish under ε-differential privacy (e.g. 1; ≤ 2 for a meaningful guarantee): noise on every published value, the observed history withheld'),
  dpSensitivity: z.number().positive().max(1000).optional().describe('with dpEpsilon: Δ, the most one incident changes the published map in L1 (default 1), an assumption the release states'),
  dpMechanism: z.enum(['laplace', 'geometric']).optional().describe('with dpEpsilon: the noise distribution (default laplace)'),
}).strict();

function jobView(j: Job<BacktestOutcome>) {
  const { result, request, ...rest } = j;
  return { ...rest, request, result: result ? { leaderboard: result.leaderboard, hitRateCurves: result.hitRateCurves, testPeriods: result.testPeriods, training: result.training } : undefined };
}

function publicationView(p: Publication) {
  return { id: p.id, request: p.request, source: p.source, publishedAt: p.publishedAt, summary: p.summary, explainedPlaces: p.explanations?.places ?? 0 };
}

function publicationOf(ctx: ServeContext, id: string): Publication {
  const p = /^\d+$/.test(id) ? ctx.board.get(Number(id)) : undefined;
  if (!p) throw new HttpError(404, `no forecast "${id}"`, 'GET /api/forecasts lists the published ones; publish one with POST /api/forecasts');
  return p;
}

function latestPublication(ctx: ServeContext, dataset?: string, model?: string): Publication {
  const p = ctx.board.latestFor(dataset, model);
  if (!p) {
    const which = [dataset && `dataset ${dataset}`, model && `model ${model}`].filter(Boolean).join(', ');
    throw new HttpError(404, `no forecast is published yet${which ? ` for ${which}` : ''}`, 'POST /api/forecasts (the Forecast page\'s Publish) or configure the retraining schedule');
  }
  return p;
}

/** A file to download under its own name. */
function download(c: Ctx, f: ExportFile, headers: Record<string, string> = {}): Response {
  return c.body(f.bytes, 200, { 'content-type': f.contentType, 'content-disposition': attachment(f.filename), ...headers });
}

/** A forecast's map to a viewer only at the viewer's minimum cell size (an H3 unit set is the cells holding incidents). */
function readableBy(ctx: ServeContext, p: Publication, user: UserRecord | null): Publication {
  if (user?.role === 'viewer') checkViewerUnits(p.request.units, ctx.viewerPolicy);
  return p;
}

/** The latest plan; for a viewer only when its forecast's units are ones the viewer may see (the plan shows where that forecast is high). */
function latestPlan(ctx: ServeContext, user: UserRecord | null): Plan {
  const plan = ctx.latest.allocation as Plan | undefined;
  if (!plan) throw new HttpError(404, 'no allocation has been made yet', 'POST /api/allocations (the Allocation page) after publishing a forecast');
  if (user?.role === 'viewer') checkViewerUnits(planUnits(plan), ctx.viewerPolicy);
  return plan;
}

export function analysisRoutes(ctx: ServeContext): Route[] {
  return [
    route({
      method: 'post', path: '/api/backtests', tag: 'backtests', summary: 'Start a backtest', access: 'analyst',
      body: z.object({
        ...analysisFields,
        models: z.array(modelSpec).min(1).max(12),
        testFrom: localDate.describe('first test period (local date); every later period is a test period'),
        horizon: z.number().int().min(1).max(90).default(1),
        bootstrap: z.number().int().min(10).max(5000).default(500),
        seed: z.number().int().min(0).default(1),
      }).strict(),
      ok: { status: 202, description: 'the job (poll GET /api/backtests/{id})' },
      handler: async (c, { body, user }) => {
        for (const m of body.models) checkModel(m);
        checkUnits(body.units);
        const table = await ctx.datasets.incidents(body.dataset, { categories: body.categories });
        if (table.n === 0) throw new HttpError(422, `dataset "${body.dataset}" has no incidents`);
        const { bbox } = await ctx.datasets.info(body.dataset);
        checkAnalysisBudget(body.units, body.period, body.categories?.length ?? table.categories.length, table, ctx.mapLimits, bbox ? gridFrame(bbox) : undefined);
        const job = ctx.jobs.submit('backtest', user!.name, body, (report) =>
          runBacktestAnywhere({ ...body, table, framedUnits: framedUnits(body.units, bbox), bbox: extentBBox(bbox) }, report, ctx.threads));
        return c.json(jobView(job), 202);
      },
    }),
    route({
      method: 'get', path: '/api/backtests', tag: 'backtests', summary: 'List backtests', access: 'viewer',
      ok: { status: 200, description: 'jobs, newest first, with status and progress' },
      handler: (c) => c.json({ backtests: ctx.jobs.list('backtest').map((j) => { const { result: _r, ...v } = jobView(j as Job<BacktestOutcome>); return v; }) }),
    }),
    route({
      method: 'get', path: '/api/backtests/:id', tag: 'backtests', summary: 'A backtest: progress, leaderboard, hit-rate curves', access: 'viewer',
      ok: { status: 200, description: 'status, progress 0–1, and when done the leaderboard (metrics with 95% CIs, paired tests) and hit-rate curves' },
      handler: (c) => c.json(jobView(ctx.jobs.get<BacktestOutcome>(param(c, 'id'), 'backtest'))),
    }),
    route({
      method: 'post', path: '/api/forecasts', tag: 'forecasts', summary: 'Fit a model and publish a forecast', access: 'analyst',
      body: forecastBody,
      ok: { status: 201, description: 'the publication (summary); GeoJSON at GET /api/forecasts/{id}' },
      handler: async (c, { body }) => c.json(publicationView(ctx.board.publish(await makeForecast(ctx.datasets, body, 'api', { threads: ctx.threads, limits: ctx.mapLimits }))), 201),
    }),
    route({
      method: 'get', path: '/api/forecasts', tag: 'forecasts', summary: 'Latest forecast per model and dataset', access: 'viewer',
      ok: { status: 200, description: 'publications, newest first' },
      handler: (c) => c.json({ forecasts: ctx.board.list().map(publicationView) }),
    }),
    route({
      method: 'get', path: '/api/forecasts/latest', tag: 'forecasts', summary: 'The latest forecast as GeoJSON', access: 'viewer',
      query: z.object({ dataset: datasetName.optional(), model: modelSpec.optional() }).strict(),
      ok: { status: 200, description: 'GeoJSON: per region expected count, P(≥1), rank, flagged, area' },
      handler: (c, { query }) => {
        const p = latestPublication(ctx, query.dataset, query.model);
        readableBy(ctx, p, c.get('user'));
        return c.body(p.geojson, 200, { 'content-type': 'application/json', 'x-forecast-id': String(p.id) });
      },
    }),
    route({
      method: 'get', path: '/api/forecasts/:id', tag: 'forecasts', summary: 'A forecast as GeoJSON', access: 'viewer',
      ok: { status: 200, description: 'GeoJSON: per region expected count, P(≥1), rank, flagged, area' },
      handler: (c, { user }) => c.body(readableBy(ctx, publicationOf(ctx, param(c, 'id')), user).geojson, 200, { 'content-type': 'application/json' }),
    }),
    route({
      method: 'get', path: '/api/forecasts/:id/export', tag: 'forecasts', summary: 'A forecast as a file to download', access: 'viewer',
      query: z.object({
        format: z.enum(FORECAST_EXPORT_FORMATS, { error: `format must be one of: ${FORECAST_EXPORT_HELP}` }).default('geojson'),
        n: z.coerce.number().int().min(1).max(1000).default(20).describe('places in the top table (format=top; also the GeoPackage\'s top_places)'),
        dataset: datasetName.optional().describe('with id "latest": the latest forecast of this dataset'),
        model: modelSpec.optional().describe('with id "latest": the latest forecast of this model'),
      }).strict(),
      ok: { status: 200, description: `an attachment named <dataset>-<model>-<period start>.<ext>; id is a publication id or "latest". Formats: ${FORECAST_EXPORT_HELP}. Every format carries the period and units of each value; viewers get what GET /api/forecasts/{id} gives them` },
      handler: async (c, { query, user }) => {
        const id = param(c, 'id');
        if (id !== 'latest' && (query.dataset || query.model)) throw new HttpError(400, 'dataset and model choose among forecasts only with id "latest"', `GET /api/forecasts/latest/export?format=${query.format}&dataset=…, or drop them`);
        const p = readableBy(ctx, id === 'latest' ? latestPublication(ctx, query.dataset, query.model) : publicationOf(ctx, id), user);
        // a file of a large grid takes a second or two to write: in a worker, queued with the map analyses (2 at a time)
        const file = query.format === 'geojson' ? await forecastExport(p, 'geojson', query.n) : await ctx.maps.slot(() => forecastExport(p, query.format, query.n, ctx.threads), user!.name);
        return download(c, file, { 'x-forecast-id': String(p.id) });
      },
    }),
    route({
      method: 'get', path: '/api/forecasts/:id/series', tag: 'forecasts', summary: 'Observed and forecast counts of one area', access: 'viewer',
      query: z.object({ region: z.string().min(1), periods: z.coerce.number().int().min(1).max(5000).default(120).describe(`observed periods, the latest first; a forecast keeps the last ${HISTORY_PERIODS}`) }).strict(),
      ok: { status: 200, description: 'observed counts per period (latest N) and the forecast' },
      handler: (c, { query, user }) => {
        const pub = readableBy(ctx, publicationOf(ctx, param(c, 'id')), user);
        const series = regionSeries(pub, query.region, query.periods, user!.role === 'viewer' ? ctx.viewerPolicy : null);
        // observed counts of one area are an incident aggregate: on the record like the maps
        ctx.access.write({
          user: user!.name, role: user!.role, action: 'series.read', dataset: pub.request.dataset, records: series.observed.reduce((a, o) => a + (o.count ?? 0), 0),
          query: { forecast: pub.id, units: pub.request.units, region: query.region, periods: query.periods, ...('disclosure' in series ? { periodsPerPoint: series.disclosure!.periodsPerPoint, suppressedPoints: series.disclosure!.suppressedPoints } : {}) },
        });
        return c.json(series);
      },
    }),
    route({
      method: 'get', path: '/api/forecasts/:id/explain', tag: 'forecasts', summary: 'Why a place is high: TreeSHAP contributions', access: 'analyst',
      query: z.object({ region: z.string().min(1).max(200).optional().describe('one place (a feature id); all explained places without it') }).strict(),
      ok: { status: 200, description: `for a tree model's forecast (decision-tree, random-forest, gbm): each feature's contribution to the model's margin for the first forecast period, for the ${EXPLAINED_PLACES} highest-ranked places and every category (id may be "latest")` },
      handler: (c, { query, user }) => {
        const id = param(c, 'id');
        const pub = id === 'latest' ? latestPublication(ctx) : publicationOf(ctx, id);
        const ex = pub.explanations;
        if (!ex) {
          throw new HttpError(404, `forecast ${pub.id} (${pub.request.model}) has no explanations`, pub.request.dpEpsilon !== undefined
            ? 'it was published under differential privacy, and contributions are read from the true counts'
            : 'explanations are made when a tree model (decision-tree, random-forest, gbm) is published; `crimecast forecast --explain` explains panel-fe');
        }
        const cells = query.region === undefined ? ex.cells : ex.cells.filter((x) => x.region === query.region);
        if (query.region !== undefined && cells.length === 0) {
          throw new HttpError(404, `place "${query.region}" is not among the ${ex.places} explained places of forecast ${pub.id}`, 'the explained places are the highest ranked; GET without region lists them');
        }
        ctx.access.write({ user: user!.name, role: user!.role, action: 'explain.read', dataset: pub.request.dataset, records: 0, query: { forecast: pub.id, ...(query.region !== undefined ? { region: query.region } : {}) } });
        return c.json({ forecast: pub.id, model: pub.request.model, note: ex.note, places: ex.places, cells });
      },
    }),
    route({
      method: 'get', path: '/api/forecasts/:id/similar', tag: 'forecasts', summary: 'Areas whose series look like one area\'s', access: 'viewer',
      query: z.object({
        region: z.string().min(1).max(200).describe('the area (a feature id)'),
        method: z.enum(['dtw', 'mahalanobis']).default('dtw').describe('dtw: shape of the z-normalised series; mahalanobis: level, trend, seasonality, persistence'),
        top: z.coerce.number().int().min(1).max(50).default(10),
      }).strict(),
      ok: { status: 200, description: `the most similar areas over the forecast's last ${HISTORY_PERIODS} periods of observed counts (all categories), with distances; totals for analysts only; access-logged` },
      handler: (c, { query, user }) => {
        const pub = readableBy(ctx, publicationOf(ctx, param(c, 'id')), user);
        const out = similarAreas(pub, query.region, query.method, query.top, user!.role !== 'viewer');
        ctx.access.write({ user: user!.name, role: user!.role, action: 'similar.read', dataset: pub.request.dataset, records: 0, query: { forecast: pub.id, region: query.region, method: query.method } });
        return c.json(out);
      },
    }),
    route({
      method: 'get', path: '/api/hotspots', tag: 'hotspots', summary: 'Hot-spot statistics', access: 'viewer',
      query: z.object({
        dataset: datasetName, units: unitsSpec,
        method: z.enum(['gi*', 'moran']).default('gi*'),
        weights: z.string().max(40).default('contiguity').describe('contiguity | knn:K | band:METRES'),
        from: localDate.optional(), to: localDate.optional(), category: z.string().max(200).optional(),
        fdr: z.enum(['true', 'false']).default('false'),
      }).strict(),
      ok: { status: 200, description: 'GeoJSON per region (Gi* z, p, bin / local Moran cluster) with run-level facts; for viewers at least the configured cell size and window, small cells withheld (crimecast.disclosure); access-logged' },
      handler: async (c, { query, user }) => {
        const bytes = await serveMap(ctx, user!, query, 'hotspots', { method: query.method, weights: query.weights, fdr: query.fdr === 'true' });
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' });
      },
    }),
    route({
      method: 'post', path: '/api/audits', tag: 'audits', summary: 'Fairness audit and model card of a backtested model', access: 'analyst',
      body: z.object({
        backtest: z.string().min(1).describe('backtest job id'),
        model: modelSpec.optional().describe('default: the backtest\'s first model'),
        coverage: coverageShare,
        bootstrap: z.number().int().min(10).max(5000).default(500),
        groups: z.array(z.object({
          name: z.string().min(1).max(100), family: z.string().max(100).optional(),
          weights: z.record(z.string(), z.number().min(0)).describe('population of the group per region id'),
        })).min(1).max(20),
      }).strict(),
      ok: { status: 200, description: 'audit (shares, ratios, hit rate, PAI, calibration per group, 95% CIs) and a model card' },
      handler: async (c, { body }) => {
        const job = ctx.jobs.get<BacktestOutcome>(body.backtest, 'backtest');
        if (job.status !== 'done') throw new HttpError(409, `backtest ${job.id} is ${job.status}`, 'wait until it is done');
        const r = job.result!;
        const spec = body.model ?? r.leaderboard.models[0].spec;
        const predictions = r.predictions[spec];
        if (!predictions) throw new HttpError(400, `model "${spec}" is not in backtest ${job.id}`, `models: ${Object.keys(r.predictions).join(', ')}`);
        const ids = new Set(r.regionIds);
        for (const g of body.groups) {
          const unknown = Object.keys(g.weights).filter((k) => !ids.has(k));
          if (unknown.length) throw new HttpError(400, `group ${g.name}: unknown region id(s) ${unknown.slice(0, 5).join(', ')}`, 'use the region ids of the backtest\'s units (GET /api/units)');
        }
        const audit = await runAuditAnywhere({
          predictions, observed: r.observed, regions: r.regionIds.length, area: r.area, coverage: body.coverage,
          groups: body.groups.map((g) => ({ name: g.name, family: g.family, weight: r.regionIds.map((id) => g.weights[id] ?? 0) })),
          bootstrap: { B: body.bootstrap, seed: 1 },
        }, ctx.threads);
        const req = job.request as { dataset: string; units: string; period: string; categories?: string[] };
        const { name, params } = parseModelSpec(spec);
        const info = getForecasterInfo(name);
        const pct = `${(body.coverage * 100).toFixed(1)}%`;
        const card = buildModelCard({
          spec, name, params, family: info.family, description: info.description,
          sources: [`dataset ${req.dataset}`, 'group populations supplied with the audit request (fairness audit only)'],
          trainingWindow: r.training, periodUnit: req.period, categories: req.categories ?? r.leaderboard.categories,
          spatialUnit: { kind: req.units.split(':')[0], spec: req.units, regions: r.regionIds.length },
          protocol: `rolling origin from ${r.testPeriods[0]}, ${r.testPeriods.length} test periods (backtest ${job.id})`,
          audit, metrics: { [`hit rate @ ${pct}`]: audit.overall.hitRate, [`PAI @ ${pct}`]: audit.overall.pai, 'calibration (predicted / observed)': audit.overall.calibration },
        });
        const out = { backtest: job.id, model: spec, coverage: body.coverage, audit: { ...audit, regionExposure: Array.from(audit.regionExposure) }, modelCard: card, regionIds: r.regionIds };
        ctx.latest.audit = out;
        ctx.saved?.saveLatest('audit', out);
        return c.json(out);
      },
    }),
    route({
      method: 'get', path: '/api/audits/latest', tag: 'audits', summary: 'The latest audit and model card', access: 'viewer',
      ok: { status: 200, description: 'as returned by POST /api/audits' },
      handler: (c) => {
        if (!ctx.latest.audit) throw new HttpError(404, 'no audit has been run yet', 'POST /api/audits');
        return c.json(ctx.latest.audit);
      },
    }),
    route({
      method: 'post', path: '/api/allocations', tag: 'allocations', summary: 'Allocate patrol dosage from a forecast', access: 'analyst',
      body: z.object({
        forecast: z.number().int().min(1).optional().describe('publication id (default: the latest forecast)'),
        budget: z.number().int().min(1).max(100_000).describe('dosage units (patrol units × hours) to allocate'),
        maxPerRegion: z.number().int().min(1).optional(),
        coverageModel: z.string().default('exp:0.5').describe('exp:BETA or linear:SATURATION'),
      }).strict(),
      ok: { status: 200, description: 'plan GeoJSON: dosage and covered expected crime per region' },
      handler: async (c, { body }) => {
        const pub = body.forecast !== undefined ? publicationOf(ctx, String(body.forecast)) : ctx.board.latestFor();
        if (!pub) throw new HttpError(404, 'no forecast to allocate from', 'POST /api/forecasts first');
        const model = parseCoverageModel(body.coverageModel);
        const result = await allocate({ expected: pub.expected, units: body.budget, model, maxDosage: body.maxPerRegion });
        const total = pub.expected.reduce((a, b) => a + b, 0);
        const plan = withPlaces(planGeoJSON({ units: pub.units }, [{ name: 'plan', expected: pub.expected, result }], model, {
          forecast: pub.id, model: pub.request.model, budget: body.budget, method: result.method,
          covered: +result.covered.toFixed(4), expectedTotal: +total.toFixed(4), coveredShare: total > 0 ? +(result.covered / total).toFixed(4) : 0,
        }), pub);
        ctx.latest.allocation = plan;
        ctx.saved?.saveLatest('allocation', plan);
        return c.json(plan);
      },
    }),
    route({
      method: 'get', path: '/api/allocations/latest', tag: 'allocations', summary: 'The latest allocation plan', access: 'viewer',
      ok: { status: 200, description: 'plan GeoJSON' },
      handler: (c, { user }) => c.json(latestPlan(ctx, user)),
    }),
    route({
      method: 'get', path: '/api/allocations/latest/export', tag: 'allocations', summary: 'The latest allocation plan as a file to download', access: 'viewer',
      query: z.object({ format: z.enum(PLAN_EXPORT_FORMATS, { error: `format must be one of: ${PLAN_EXPORT_FORMATS.join(', ')}` }).default('csv') }).strict(),
      ok: { status: 200, description: 'csv: one row per area given patrol time, most first (region, label, centroid, dosage in patrol unit-hours, expected and covered incidents over the forecast period, the period); geojson: every area with the same properties' },
      handler: (c, { query, user }) => download(c, planExport(latestPlan(ctx, user), query.format)),
    }),
  ];
}
