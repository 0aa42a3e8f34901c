/**
 * Run a benchmark spec: count tasks go through the rolling-origin engine with the spec's hot-spot coverages;
 * occurrence tasks score P(≥1) by F1 under the definitions the spec names. Output labels (place, dates, categories,
 * regions) come from the spec and its data, never from code.
 */
import { UserError } from '../../util/errors.js';
import { runBacktests } from '../backtest/parallel.js';
import { dropLeadingPeriods } from '../backtest/slice.js';
import { columnConfusionPeriod, categoryMacroF1, columnF1 } from '../metrics/occurrence.js';
import { FieldLayout } from '../protocols/field-layout.js';
import { occurrenceFields } from '../protocols/occurrence-fields.js';
import { runRolling } from '../protocols/rolling.js';
import { perPeriod, summarise } from '../protocols/summarise.js';
import { occurrenceRateMask } from '../protocols/occurrence-rate.js';
import { tuneThresholds } from '../protocols/thresholds.js';
import type { MetricDef, ProtocolOptions, ProtocolResult } from '../protocols/types.js';
import type { AdjacencySource } from '../../space/adjacency-file.js';
import { isoLocal } from '../../time/bins.js';
import { loadSpecData, type SpecData } from './data.js';
import { runWindows } from './run-windows.js';
import type { LoadedSpec } from './load.js';
import type { BenchmarkSpec } from './schema.js';

export interface SpecRunOptions extends ProtocolOptions {
  acceptOutside?: boolean;
  /** Replaces the spec's region graph. */
  adjacency?: AdjacencySource;
}

type OccurrenceSpec = Extract<BenchmarkSpec, { task: 'occurrence' }>;

const pct = (x: number) => `${+(100 * x).toFixed(2)}%`;

/** The test span as the data have it: local dates of the first and last test periods (not the spec's text). */
function testSpanText(sd: SpecData): string {
  const t = sd.data.tensor;
  const day = (p: number) => isoLocal(t.periodStart[p], t.tz).slice(0, 10);
  const n = sd.test[1] - sd.test[0];
  if (t.unit === 'day') return `test ${day(sd.test[0])}…${day(sd.test[1] - 1)} (${n} days in ${t.tz}, local dates)`;
  return `test: ${n} ${t.unit}s starting ${day(sd.test[0])}…${day(sd.test[1] - 1)} (${t.tz}, local dates)`;
}

export async function runSpec(loaded: LoadedSpec, models: string[], opts: SpecRunOptions = {}): Promise<ProtocolResult> {
  const { spec } = loaded;
  if (models.length === 0 && !(opts.external?.length)) throw new UserError(`${spec.name}: give at least one model`);
  const sd = await loadSpecData(loaded, models, { dataDir: opts.dataDir, acceptOutside: opts.acceptOutside, adjacency: opts.adjacency });
  const o = { ...opts, reference: opts.reference ?? spec.reference, refitEvery: opts.refitEvery ?? spec.refitEvery };
  if (spec.task === 'occurrence') return runOccurrence(spec, sd, models, o);
  if (spec.task === 'hotspot-windows') return runWindows(spec, sd, models, o);
  if (o.external?.length && spec.source.kind === 'tensor' && !sd.units) throw new UserError(`${loaded.file}: external forecasts are keyed by unit; the spec has no "units"`);
  const { hotspots } = spec.metrics;
  return runRolling(sd.data, models, {
    ...o, testStart: sd.test[0], testEnd: sd.test[1], horizon: spec.horizon, coverages: hotspots.coverages,
    equalArea: hotspots.area === 'equal-cells', externalUnits: sd.units, name: spec.name, description: spec.description,
    notes: [
      `${spec.place}: ${sd.data.tensor.regions} regions × ${sd.data.tensor.categories} categories; ${testSpanText(sd)}, each forecast ${spec.horizon} period(s) ahead from every period before it; refit every ${o.refitEvery}.`,
      ...sd.notes,
      `maskedMAE / maskedMAPE score only cells with an observed count > 0; unmasked MAE / RMSE / deviance / log score and hot-spot metrics are reported because the masked metrics reward over-prediction.`,
      `Hot spots rank regions by the forecast mean at ${hotspots.coverages.map(pct).join(', ')} of the ${hotspots.area === 'equal-cells' ? `${sd.data.tensor.regions} equal cells` : "units' area"}.`,
      ...spec.notes,
    ],
  });
}

async function runOccurrence(spec: OccurrenceSpec, sd: SpecData, models: string[], opts: ProtocolOptions): Promise<ProtocolResult> {
  const { tensor } = sd.data;
  const [testStart, testEnd] = sd.test;
  const RC = tensor.regions * tensor.categories, C = tensor.categories;
  const threshold = opts.threshold ?? spec.threshold;
  const tune = threshold === 'validation';
  if (opts.external?.length) throw new UserError(`${spec.name}: occurrence specs do not score external forecasts yet`);
  const m = spec.metrics;
  if ('perCategory' in m) {
    if (tune) throw new UserError(`${spec.name} scores at a fixed threshold; give a number, e.g. --threshold 0.5`);
    const [lo, hi] = m.scoredPairs?.trainingRate ?? [-Infinity, Infinity];
    const keep = m.scoredPairs ? occurrenceRateMask(tensor, sd.train[0], sd.train[1], lo, hi) : undefined;
    const backtests = await runBacktests(sd.data, models, {
      testStart, testEnd, horizon: spec.horizon, refitEvery: opts.refitEvery ?? 1, seed: opts.seed, workers: opts.workers,
      onModelProgress: (k, done, total) => opts.onProgress?.(models[k], done / total),
    });
    const layout = new FieldLayout();
    const occ = occurrenceFields(layout, tensor.categoryNames, threshold, keep);
    const { reference, models: reports, notes: ciNotes } = summarise(backtests, layout.K, (res) => perPeriod(res, layout.K, (row, p) => {
      occ.fill(row, res.pAny.subarray(p * RC, (p + 1) * RC), tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC));
    }), occ.metrics, opts);
    const kept = keep ? keep.reduce((s, k) => s + k, 0) : RC;
    return {
      protocol: spec.name, description: spec.description,
      notes: [
        keep ? `Scored pairs: ${kept} of ${RC} (region, category) pairs with ${spec.spans.train.from}…${spec.spans.train.to} occurrence rate strictly inside (${lo}, ${hi}).` : `Scored pairs: all ${RC} (region, category) pairs.`,
        `Positive when P(≥1) ≥ ${threshold}. Count models are turned into P(≥1) through their predictive distribution.`,
        `${spec.place}: ${tensor.regions} regions × ${C} categories; ${testSpanText(sd)}.`,
        ...sd.notes, ...spec.notes, ...ciNotes,
      ],
      categories: tensor.categoryNames, regionIds: tensor.regionIds,
      testPeriodStart: tensor.periodStart.slice(testStart, testEnd),
      reference, metricNames: occ.metrics.map((x) => x.name), models: reports, backtests,
    };
  }
  const V = tune ? validationDays(spec, sd) : 0;
  const fixed = typeof threshold === 'number' ? threshold : 0.5;
  // with tuning, the backtest also walks the validation periods (forecast from the periods before each, as in the test)
  const raw = await runBacktests(sd.data, models, {
    testStart: testStart - V, testEnd, horizon: spec.horizon, refitEvery: opts.refitEvery ?? 1, seed: opts.seed, workers: opts.workers,
    onModelProgress: (k, done, total) => opts.onProgress?.(models[k], done / total),
  });
  const thresholds = raw.map((res) => (tune
    ? tuneThresholds(res.pAny, tensor.data.subarray((testStart - V) * RC, testStart * RC), V, RC, C)
    : { macro: fixed, micro: fixed }));
  const backtests = raw.map((res) => dropLeadingPeriods(res, V));
  const chosen = new Map(backtests.map((res, k) => [res, thresholds[k]]));
  // fields: per-column tp, fp, fn at the macro-F1 threshold, then at the micro-F1 threshold (6 × RC)
  const K = 6 * RC;
  const split = (t: Float64Array, at: number) => ({ tp: t.subarray(at, at + RC), fp: t.subarray(at + RC, at + 2 * RC), fn: t.subarray(at + 2 * RC, at + 3 * RC) });
  const defs: Record<(typeof m.definitions)[number], MetricDef> = {
    'macroF1:per-category': { name: 'macroF1', better: 'higher', stat: (t) => categoryMacroF1(split(t, 0), C) },
    'macroF1:per-column': { name: 'macroF1.columns', better: 'higher', stat: (t) => columnF1(split(t, 0)).macroF1 },
    microF1: { name: 'microF1', better: 'higher', stat: (t) => columnF1(split(t, 3 * RC)).microF1 },
  };
  const metrics = m.definitions.map((d) => defs[d]);
  const { reference, models: reports, notes: ciNotes } = summarise(backtests, K, (res) => perPeriod(res, K, (row, p) => {
    const th = chosen.get(res)!;
    const pred = res.pAny.subarray(p * RC, (p + 1) * RC), obs = tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC);
    columnConfusionPeriod(pred, obs, th.macro, split(row, 0));
    columnConfusionPeriod(pred, obs, th.micro, split(row, 3 * RC));
  }), metrics, opts);
  const thresholdNote = tune
    ? `Thresholds chosen per model on the ${V} validation ${tensor.unit}s ${spec.spans.validation!.from}…${spec.spans.validation!.to} (grid 0.05…0.95, separately for macro and micro F1): ${models.map((x, i) => `${x} ${thresholds[i].macro}/${thresholds[i].micro}`).join('; ')}.`
    : `Positive when P(≥1) ≥ ${fixed}.`;
  return {
    protocol: spec.name, description: spec.description,
    notes: [
      `${thresholdNote} No rescaling of predictions by test-set statistics.`,
      `${spec.place}: ${tensor.regions} regions × ${C} categories; ${testSpanText(sd)}.`,
      ...m.definitions.map((d) => ({
        'macroF1:per-category': `macroF1 (per-category): the mean over the ${C} categories of each category's F1 pooled over all regions (CrimeForecaster's code reshapes predictions to (-1, ${C})).`,
        'macroF1:per-column': `macroF1.columns (per-column): the mean over all ${RC} (region, category) columns, 0 for columns with neither true nor predicted positives (sklearn zero_division=0).`,
        microF1: 'microF1: F1 of true / false positives and false negatives pooled over all columns.',
      })[d]),
      ...sd.notes, ...spec.notes, ...ciNotes,
    ],
    categories: tensor.categoryNames, regionIds: tensor.regionIds,
    testPeriodStart: tensor.periodStart.slice(testStart, testEnd),
    reference, metricNames: metrics.map((x) => x.name), models: reports, backtests,
  };
}

/** Validation periods for threshold tuning: spans.validation, which must end where the test span starts. */
function validationDays(spec: OccurrenceSpec, sd: SpecData): number {
  if (!sd.validation) throw new UserError(`${spec.name}: --threshold validation needs spans.validation in the spec`);
  if (sd.validation[1] !== sd.test[0]) throw new UserError(`${spec.name}: spans.validation must end the day before spans.test starts to tune thresholds`);
  return sd.validation[1] - sd.validation[0];
}
