/**
 * `crimecast explain`: why a feature model forecasts what it does, on your data — permutation importance on
 * held-out periods (with the metric, repeats and seed stated) and partial dependence of the most important
 * features. Data options are those of backtest/forecast, so the same model on the same data is explained.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { incidentsBefore } from '../../data/incident-table.js';
import { buildDataset, checkDropped, MAX_OUTSIDE_SHARE } from '../../tensor/dataset.js';
import { floorToPeriod, localDateToUtc, parsePeriodUnit } from '../../time/bins.js';
import { forecastOrigin } from '../../forecast/origin.js';
import '../../models/all.js';
import { createForecaster } from '../../models/registry.js';
import { UserError } from '../../util/errors.js';
import { addCovariateOptions, attachCovariates, checkCovariateOptions, type CovariateOptions } from '../covariate-options.js';
import { addRiskLayerOptions, attachRiskLayers, type RiskLayerOptions } from '../risk-layer-options.js';
import { addIncidentSourceOptions, loadCommandIncidents, localDate, splitList, type IncidentSourceOptions } from '../incident-source.js';
import { addSourceColumnOptions, toReadOptions, type SourceColumnOptions } from '../source-options.js';
import { emit, info } from '../output.js';
import { startProgress } from '../progress.js';
import { COMMAND_INDEX } from '../command-index.js';
import { explainModel, type ExplainResult } from '../explain-model.js';

interface ExplainCliOptions extends IncidentSourceOptions, CovariateOptions, RiskLayerOptions, Omit<SourceColumnOptions, 'preset' | 'bbox'> {
  model: string;
  units: string;
  period: string;
  holdout?: string;
  repeats: string;
  seed: string;
  top: string;
  grid: string;
  maxRows: string;
  out?: string;
  json?: boolean;
  acceptOutside?: boolean;
  dropFirstRow?: boolean;
}

const DEFAULT_HOLDOUT = { hour: 168, day: 28, week: 12, month: 6 } as const;

const posInt = (v: string, name: string, min = 1) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
};

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

export function explainText(r: ExplainResult, labels: { train: string; holdout: string }): string {
  const lines = [
    `explain ${r.model}: fitted on ${labels.train}, measured on the ${r.holdoutPeriods[1] - r.holdoutPeriods[0]} held-out periods ${labels.holdout} (${r.rows.used} rows${r.rows.sampled ? `, a seeded sample of ${r.rows.heldOut}` : ''})`,
    `permutation importance: increase of the ${r.metric} (baseline ${r.baselineLoss.toPrecision(4)}) when one feature is shuffled, mean ± sd over ${r.repeats} repeats, seed ${r.seed}`,
    `  ${'rank'.padEnd(4)} ${'feature'.padEnd(32)} ${'increase'.padStart(10)} ${'± sd'.padStart(9)} ${'% of loss'.padStart(9)}`,
    ...r.importance.slice(0, 15).map((f, k) => `  ${String(k + 1).padEnd(4)} ${f.feature.padEnd(32)} ${f.increase.toPrecision(3).padStart(10)} ${f.sd.toPrecision(2).padStart(9)} ${(100 * f.relative).toFixed(1).padStart(8)}%`),
    ...(r.importance.length > 15 ? [`  … ${r.importance.length - 15} more features (--json for all)`] : []),
    `partial dependence (mean ${r.scale} as the feature is set to each value for every held-out row):`,
  ];
  for (const p of r.partialDependence) {
    lines.push(`  ${p.feature}`);
    lines.push(`    value    ${p.grid.map((g) => fmt(g).padStart(8)).join(' ')}`);
    lines.push(`    forecast ${p.mean.map((m) => fmt(m).padStart(8)).join(' ')}`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('explain')
    .description(COMMAND_INDEX.explain.description)
    .requiredOption('--model <spec>', 'a feature learner, e.g. gbm, gbm:trainPeriods=90, random-forest, glm-poisson (see `crimecast models`)')
    .option('--from <date>', 'explain the model as fitted on data before this local date YYYY-MM-DD (default: all data, a running period left out)')
    .option('--units <spec>', 'spatial units: grid:250 | h3:9 | polygons:FILE.geojson,id=PROP | stshn', 'grid:500')
    .option('--period <unit>', 'hour | day | week | month', 'day')
    .option('--categories <list>', 'comma-separated categories (default: all)')
    .option('--holdout <k>', 'held-out periods at the end, never seen by the fit (default: 28 days / 12 weeks / 6 months / 168 hours)')
    .option('--repeats <n>', 'shuffles per feature for permutation importance', '5')
    .option('--seed <n>', 'seed of the fit, the shuffles and any row sample', '1')
    .option('--top <n>', 'partial dependence for this many of the most important features', '5')
    .option('--grid <n>', 'values per partial-dependence curve (quantiles 2.5–97.5% of the feature)', '10')
    .option('--max-rows <n>', 'at most this many held-out rows (a seeded uniform sample beyond, stated)', '20000')
    .option('--out <file.json>', 'write the full result (every feature, every curve) as JSON')
    .option('--accept-outside', `go on when more than ${100 * MAX_OUTSIDE_SHARE}% of the incidents fall outside the units`)
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  addSourceColumnOptions(cmd);
  addCovariateOptions(cmd);
  addRiskLayerOptions(cmd);
  cmd.action(async (o: ExplainCliOptions) => {
    const unit = parsePeriodUnit(o.period);
    const opts = {
      holdout: o.holdout === undefined ? DEFAULT_HOLDOUT[unit] : posInt(o.holdout, '--holdout'),
      repeats: posInt(o.repeats, '--repeats'), seed: posInt(o.seed, '--seed', 0), top: posInt(o.top, '--top', 0),
      grid: posInt(o.grid, '--grid', 2), maxRows: posInt(o.maxRows, '--max-rows', 100),
    };
    if (o.holdout === undefined && !o.json) info(`note: held out the last ${opts.holdout} ${unit}s (--holdout changes it)`);
    createForecaster(o.model); // a bad spec fails before any data is read
    checkCovariateOptions(o);
    const progress = startProgress('explain', 3);
    const all = await loadCommandIncidents({ ...o, from: undefined, to: o.from, categories: o.categories }, undefined, toReadOptions(o));
    if (all.n === 0) throw new UserError('no incidents match the selection');
    const tz = all.tz;
    const cutoff = o.from ? floorToPeriod(localDateToUtc(o.from, tz), unit, tz) : forecastOrigin(all.t, unit, tz).cutoff;
    const past = incidentsBefore(all, cutoff);
    if (past.n === 0) throw new UserError(`no incidents before ${o.from ?? localDate(cutoff, tz)}`);
    const data = buildDataset(past, { units: o.units, period: unit, end: cutoff, categories: o.categories ? splitList(o.categories) : undefined });
    const dropped = checkDropped(data.report, o.units, o.acceptOutside);
    if (dropped && !o.json) info(`note: ${dropped}`);
    attachCovariates(data, o);
    const riskLayers = attachRiskLayers(data, o, [o.model]);
    progress.update(1, 3, 'data ready');
    const r = await explainModel(data, o.model, opts);
    progress.stop();
    const ps = data.tensor.periodStart;
    const label = (a: number, b: number) => `${localDate(ps[a], tz)} … ${localDate(ps[b - 1], tz)}`;
    const labels = { train: label(r.trainPeriods[0], r.trainPeriods[1]), holdout: label(r.holdoutPeriods[0], r.holdoutPeriods[1]) };
    const result = { ...r, train: labels.train, heldOut: labels.holdout, units: { spec: o.units, n: data.units.n }, unit, categories: data.tensor.categoryNames, ...(riskLayers ? { riskLayers } : {}), out: o.out ?? null };
    if (o.out) writeFileSync(o.out, JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
    emit(!!o.json, result, () => explainText(r, labels) + (o.out ? `\nwrote ${o.out}` : ''));
  });
}
