/**
 * A benchmark as a file: where the data come from, how space and time are cut, which spans train / validate /
 * test, the task and the metrics under their named definitions. The shipped protocols (protocols/*.json) are such
 * files; a user copies one and points it at their own city. Every field is explicit: nothing falls back to Chicago.
 */
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD');
/** Inclusive local dates. */
const span = z.object({ from: date, to: date }).strict();

/** An incident file and how to read it: the names of ReadOptions / the CLI's source options. */
export const incidentSource = z.object({
  kind: z.literal('incidents'),
  file: z.string().min(1),
  preset: z.string().optional(),
  format: z.enum(['csv', 'geojson', 'parquet']).optional(),
  timeCol: z.string().optional(),
  dateCol: z.string().optional(),
  latCol: z.string().optional(),
  lonCol: z.string().optional(),
  xCol: z.string().optional(),
  yCol: z.string().optional(),
  categoryCol: z.string().optional(),
  idCol: z.string().optional(),
  timeFormat: z.string().optional(),
  crs: z.string().optional(),
  header: z.boolean().optional(),
  delimiter: z.string().length(1).optional(),
  dropFirstRow: z.boolean().optional(),
  /** [minLon, minLat, maxLon, maxLat]; null: no box (default: the preset's). */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable().optional(),
  years: z.tuple([z.number().int(), z.number().int()]).optional(),
  encoding: z.string().optional(),
}).strict();

/** A count or occurrence tensor already cut into periods and regions. */
export const tensorSource = z.object({
  kind: z.literal('tensor'),
  file: z.string().min(1),
  /**
   * 'periods,regions,categories': one .npy of that shape (C order);
   * 'stshn-splits': a folder with trn.npy, val.npy, tst.npy of shape (rows, cols, days, categories), concatenated
   * along days (region = row · cols + col), as the ST-SHN / ST-HSL repositories ship them.
   */
  layout: z.enum(['periods,regions,categories', 'stshn-splits']),
  /** Local date of the first period. */
  start: date,
  /** Region labels: 'index' (0, 1, …) or the list. */
  regionIds: z.union([z.literal('index'), z.array(z.string())]).default('index'),
  /** With units: unit i must carry id (i + offset), so the tensor's axis and the polygons agree (e.g. 1 for areas numbered from 1). */
  unitIdOffset: z.number().int().optional(),
  /** Raw incidents of the same cells, for point-based models (KDE, self-exciting); read only when a model needs them. */
  incidents: incidentSource.optional(),
}).strict();

const studyArea = z.union([
  z.literal('training-incidents'),
  z.literal('bounding-box'),
  z.object({ polygon: z.string().min(1) }).strict(),
]);

export const unitsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('grid'),
    /** Cell side: metres, or feet for US protocols (converted at 0.3048 m). Give one. */
    cellMetres: z.number().positive().optional(),
    cellFeet: z.number().positive().optional(),
    origin: z.object({ lat: z.number(), lon: z.number() }).strict().optional(),
    adjacency: z.enum(['rook', 'queen']).optional(),
    /** Which cells count: those holding a training incident, the whole box, or those meeting a boundary file. */
    studyArea,
  }).strict(),
  z.object({
    kind: z.literal('h3'),
    resolution: z.number().int().min(0).max(15),
    studyArea: z.union([z.literal('training-incidents'), z.object({ polygon: z.string().min(1) }).strict()]),
  }).strict(),
  z.object({
    kind: z.literal('polygons'),
    file: z.string().min(1),
    idProperty: z.string().min(1),
    order: z.enum(['file', 'id']).optional(),
    adjacency: z.enum(['rook', 'queen']).optional(),
  }).strict(),
  z.object({
    /** ST-SHN-style grid in degrees: row = int((lat − minLat)·kmPerDegLat / cellKm), likewise columns. */
    kind: z.literal('degree-grid'),
    minLat: z.number(), minLon: z.number(),
    rows: z.number().int().positive(), cols: z.number().int().positive(),
    kmPerDegLat: z.number().positive(), kmPerDegLon: z.number().positive(), cellKm: z.number().positive(),
  }).strict(),
]);

/** Region graph: an edge list CSV (a,b), an n × n .npy matrix, or derived from the units' polygons. */
export const adjacencySchema = z.union([
  z.string().min(1),
  z.object({ derive: z.literal('shared-boundary'), kind: z.enum(['rook', 'queen']).default('queen') }).strict(),
  z.object({ derive: z.literal('distance'), metres: z.number().positive() }).strict(),
]);

/** Covariates joined to the regions (static) and periods (time-varying); incident sources only. */
const covariatesSchema = z.object({
  static: z.array(z.object({
    file: z.string().min(1),
    /** Column holding the region id. */
    key: z.string().min(1),
    columns: z.array(z.string().min(1)).min(1),
    /** Names the models and reports use (default: the column names). */
    names: z.array(z.string().min(1)).optional(),
    /** Columns entered as their natural log (rates linear in the log: income, population). */
    log: z.array(z.string().min(1)).optional(),
  }).strict()).default([]),
  time: z.object({
    file: z.string().min(1),
    date: z.string().min(1),
    /** Region key column; absent = one city-wide series (features see it one period late). */
    key: z.string().min(1).optional(),
    columns: z.array(z.string().min(1)).min(1),
  }).strict().optional(),
}).strict();

const countMetrics = z.object({
  /** maskedMAE / maskedMAPE score only cells with an observed count > 0 (ST-HSL's `mask = label > 0`). */
  masked: z.literal('observed>0').default('observed>0'),
  hotspots: z.object({
    coverages: z.array(z.number().gt(0).lt(1)).min(1),
    /** 'equal-cells': coverage is a share of cells (equal-area grids); 'units': a share of the units' area. */
    area: z.enum(['equal-cells', 'units']),
  }).strict(),
}).strict();

/** Hot spots over windows of days (NIJ): risk summed over each window, flagged area between two bounds. */
const windowMetrics = z.object({
  /** Window lengths in periods; each length tiles the test span with as many consecutive windows as fit, ending at its end. */
  windowPeriods: z.array(z.number().int().positive()).min(1),
  /** The flagged area: the fewest whole cells reaching `min` and the most within `max`. */
  flaggedArea: z.object({ min: z.number().positive(), max: z.number().positive(), unit: z.enum(['sq mi', 'km2']) }).strict(),
  /** Category groups reported (name → categories summed). */
  groups: z.record(z.string(), z.array(z.string()).min(1)),
}).strict();

export const OCCURRENCE_DEFINITIONS = ['macroF1:per-category', 'macroF1:per-column', 'microF1'] as const;

const occurrenceMetrics = z.union([
  z.object({
    /**
     * macroF1:per-category — mean over categories of each category's F1 pooled over regions (CrimeForecaster's code);
     * macroF1:per-column — mean over (region, category) columns, 0 for a column with no positives; microF1 — pooled.
     */
    definitions: z.array(z.enum(OCCURRENCE_DEFINITIONS)).min(1),
  }).strict(),
  z.object({
    /** Per-category F1 / precision / recall / Brier, meanF1 and pooledF1 over the scored (region, category) pairs. */
    perCategory: z.literal(true),
    /** Score only pairs whose occurrence rate over the training span lies strictly inside (lo, hi) (ST-SHN). */
    scoredPairs: z.object({ trainingRate: z.tuple([z.number().min(0), z.number().max(1)]) }).strict().optional(),
  }).strict(),
]);

const common = {
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string().min(1),
  /** What the output calls the place ("Chicago", "Sydney (synthetic)"): labels come from here, never from code. */
  place: z.string().min(1),
  source: z.discriminatedUnion('kind', [incidentSource, tensorSource]),
  timeZone: z.string().min(1),
  period: z.enum(['hour', 'day', 'week', 'month']),
  units: unitsSchema.optional(),
  adjacency: adjacencySchema.optional(),
  covariates: covariatesSchema.optional(),
  /** Tensor sources: the names of the category axis in order. Incident sources: the categories forecast. */
  categories: z.array(z.string().min(1)).min(1),
  spans: z.object({ train: span, validation: span.optional(), test: span }).strict(),
  /** Periods forecast from each origin (default 1). */
  horizon: z.number().int().positive().default(1),
  /** Refit every this many test periods (the CLI's --refit-every wins). */
  refitEvery: z.number().int().positive().default(1),
  /** Model spec the paired tests compare against (default: the first model given). */
  reference: z.string().optional(),
  /** Lines printed with the result: how this spec reads its paper. */
  notes: z.array(z.string()).default([]),
};

export const specSchema = z.discriminatedUnion('task', [
  z.object({ ...common, task: z.literal('counts'), metrics: countMetrics }).strict(),
  z.object({ ...common, task: z.literal('hotspot-windows'), metrics: windowMetrics }).strict(),
  z.object({
    ...common,
    task: z.literal('occurrence'),
    metrics: occurrenceMetrics,
    /** P(≥1) at or above which a cell is a predicted occurrence, or 'validation' (chosen per model on spans.validation). */
    threshold: z.union([z.number().gt(0).lt(1), z.literal('validation')]).default(0.5),
  }).strict(),
]);

export type BenchmarkSpec = z.infer<typeof specSchema>;
export type IncidentSourceSpec = z.infer<typeof incidentSource>;
export type UnitsSpec = z.infer<typeof unitsSchema>;
export type AdjacencySpec = z.infer<typeof adjacencySchema>;
