/**
 * `crimecast backtest`: rolling-origin backtests of several models, either under a published protocol
 * (--protocol st-hsl …) or on the user's own data (incident source + --units/--period/--test-from), printed as a
 * leaderboard with 95% CIs and paired tests, and written as JSON and an offline HTML report.
 */
import type { Command } from 'commander';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import '../../models/all.js';
import '../../evaluate/protocols/index.js';
import { runProtocol, listProtocols } from '../../evaluate/protocols/index.js';
import type { ProtocolResult } from '../../evaluate/protocols/types.js';
import { runRolling } from '../../evaluate/protocols/rolling.js';
import { protocolReport } from '../../evaluate/report/protocol-report.js';
import { resultJson } from '../../evaluate/report/result-json.js';
import { renderHtmlReport } from '../../evaluate/report/html.js';
import { createForecaster } from '../../models/registry.js';
import { fitSummaryLine } from '../../models/fit-summary.js';
import { isHeadline } from '../../evaluate/protocols/summarise.js';
import { buildDataset, checkDropped, MAX_OUTSIDE_SHARE } from '../../tensor/dataset.js';
import { studyAreaUnits } from '../../space/study-area.js';
import { selectIncidents } from '../../data/incident-table.js';
import { localDateToUtc, parsePeriodUnit } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { parseExternalSpecs, parseMissingPolicy } from '../../evaluate/external/spec.js';
import { biasText, externalLabel, functionalText, notScoredText } from '../../evaluate/external/marks.js';
import { addCovariateOptions, attachCovariates, checkCovariateOptions, type CovariateOptions } from '../covariate-options.js';
import { addRiskLayerOptions, attachRiskLayers, type RiskLayerOptions, type RiskLayerSummary } from '../risk-layer-options.js';
import { addIncidentSourceOptions, loadCommandIncidents, splitList, type IncidentSourceOptions } from '../incident-source.js';
import { parseHorizon } from '../horizon.js';
import { emit, info } from '../output.js';
import { addSourceColumnOptions, toReadOptions, type SourceColumnOptions } from '../source-options.js';
import { defaultRefitEvery, defaultTestFrom, runPlanNote } from '../own-data-defaults.js';
import { startProgress } from '../progress.js';
import type { RunContext } from '../../evaluate/report/protocol-report.js';
import { readOverlay } from '../../evaluate/report/overlay.js';
import { loadSpecFile, type LoadedSpec } from '../../evaluate/spec/load.js';
import { runSpec } from '../../evaluate/spec/run.js';
import { shippedSpecPath } from '../../evaluate/spec/shipped.js';
import { ADJACENCY_HELP, loadAdjacency, parseAdjacencyArg, withAdjacency } from '../../space/adjacency-file.js';
import { existsSync } from 'node:fs';

interface BacktestOptions extends IncidentSourceOptions, CovariateOptions, RiskLayerOptions, Omit<SourceColumnOptions, 'preset' | 'bbox'> {
  protocol?: string;
  spec?: string;
  adjacency?: string;
  model: string[];
  reference?: string;
  bootstrap: string;
  block?: string;
  threshold?: string;
  refitEvery?: string;
  seed: string;
  workers?: string;
  units: string;
  period: string;
  testFrom?: string;
  testTo?: string;
  horizon: string;
  dataDir?: string;
  report?: string;
  basemap?: string;
  overlay?: string[];
  out?: string;
  metrics?: string;
  dropFirstRow?: boolean;
  acceptOutside?: boolean;
  json?: boolean;
  external: string[];
  externalMissing?: string;
}

const int = (v: string, name: string, min = 0) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name} must be an integer ≥ ${min}, got "${v}"`);
  return n;
};


export function leaderboardText(r: ProtocolResult, pattern?: RegExp): string {
  const names = r.metricNames.filter((n) => (pattern ? pattern.test(n) : isHeadline(n)));
  const lines = [`${r.protocol}: ${r.description}`, `reference for paired tests: ${r.reference}`];
  const ciNote = r.notes.find((n) => /too few to resample/.test(n));
  if (ciNote) lines.push(`note: ${ciNote}`);
  lines.push('\nwhat each model did:');
  for (const m of r.models) {
    lines.push(`  ${m.spec}: ${externalLabel(m) ?? fitSummaryLine(m.fitted)}`);
    for (const n of m.external?.notes ?? []) lines.push(`    · ${n}`);
    for (const w of m.warnings) lines.push(`    ⚠ ${w}`);
    if (m.worseThanReference.length) lines.push(`    ✗ significantly worse than ${r.reference} on ${m.worseThanReference.join(', ')}`);
  }
  for (const name of names) {
    lines.push(`\n${name} (${r.models.find((m) => m.metrics[name])?.metrics[name].better} is better)`);
    for (const m of r.models) {
      const x = m.metrics[name];
      if (!x) { lines.push(`  ${m.spec.padEnd(36)} ${notScoredText(m)}`); continue; }
      const v = x.vsReference;
      const ref = v ? `  Δ ${v.diff >= 0 ? '+' : ''}${v.diff.toFixed(4)}${Number.isFinite(v.p) ? ` p=${v.p.toFixed(3)}` : ''}` : '  (reference)';
      const ci = Number.isFinite(x.lo) ? `[${x.lo.toFixed(4)}, ${x.hi.toFixed(4)}]` : '(no CI)';
      const mark = m.worseThanReference.includes(name) ? '  ✗ worse' : m.warnings.length ? '  ⚠' : '';
      lines.push(`  ${m.spec.padEnd(36)} ${x.value.toFixed(4)}  ${ci}${ref}${mark}${biasText(m, name)}${functionalText(m, name)}${m.external ? '  [external]' : ''}`);
    }
  }
  return lines.join('\n');
}

function probability(text: string): number | 'validation' {
  if (text === 'validation') return text;
  const v = Number(text);
  if (!(v > 0 && v < 1)) throw new UserError(`--threshold must be a probability strictly between 0 and 1 or "validation", got "${text}"`);
  return v;
}

export function register(program: Command): void {
  const cmd = program
    .command('backtest')
    .description('rolling-origin backtest of models under a published protocol or on your own data; leaderboard with 95% CIs')
    .option('--protocol <name>', `published protocol (${listProtocols().map((p) => p.name).join(', ')})`)
    .option('--spec <file.json>', 'benchmark spec file: data, units, spans, task and metrics (see docs-benchmark-specs.md; copy one of protocols/*.json)')
    .option('--adjacency <source>', `region graph for graph/deep models and spatial statistics: ${ADJACENCY_HELP}`)
    .option('--model <spec>', 'model spec (repeat for several), e.g. moving-average:window=30', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--reference <spec>', 'model the paired tests compare against (default: the first)')
    .option('--bootstrap <B>', 'bootstrap resamples over test periods', '1000')
    .option('--block <L>', 'bootstrap in circular blocks of L consecutive test periods, or "auto" (P^(1/3)); default 1: periods drawn independently')
    .option('--threshold <p>', 'occurrence protocols: P(≥1) at or above which a cell counts as positive (default 0.5); occurrence specs with spans.validation (crimeforecaster) also take "validation" (chosen per model on those days)')
    .option('--refit-every <k>', 'refit every k test periods (protocols: default 1; own data: 7 days / 4 weeks / 1 month); in between, models are updated with the new periods (see "what each model did")')
    .option('--seed <n>', 'random seed', '1')
    .option('--workers <n>', 'worker threads across models (needs `npm run build`)')
    .option('--units <spec>', 'own data: spatial units', 'grid:500')
    .option('--period <unit>', 'own data: hour | day | week | month', 'day')
    .option('--categories <list>', 'own data: categories to forecast (default: all)')
    .option('--test-from <date>', 'own data: first test period (local date YYYY-MM-DD; default: the last 28 days / 12 weeks / 6 months of the data)')
    .option('--test-to <date>', 'own data: last test date, inclusive (default: the end of the data)')
    .option('--horizon <h>', 'periods forecast from each origin (e.g. 1, 7d)', '1')
    .option('--data-dir <dir>', 'shared benchmark data folder for --protocol (default: ../shared/data or $CRIMECAST_SHARED_DATA)')
    .option('--metrics <regex>', 'which metrics to print (default: pooled ones)')
    .option('--report <file.html>', 'write the offline HTML report here')
    .option('--overlay <file.geojson>', 'draw your boundaries (neighbourhoods, beats) over the report map, labelled by a name-like property or FILE,label=PROP; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--basemap <url>', 'draw the report map over tiles from this URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: none, the report stays offline)')
    .option('--out <file.json>', 'write the result JSON here')
    .option('--accept-outside', `own data: go on when more than ${100 * MAX_OUTSIDE_SHARE}% of the incidents fall outside the units (they are left out and counted)`)
    .option('--json', 'print one JSON object on stdout')
    .option('--external <NAME=FILE>', 'score a forecast from a file as a row (repeatable): .npy count tensor, .csv/.parquet long table (unit, period[, category], value or rank), .geojson boxes; add ,negative=keep|clip for files with negative counts', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--external-missing <zero|skip>', 'cells an --external table lacks: zero = forecast 0, skip = drop those test periods for every row (default: refuse, listing them)');
  addIncidentSourceOptions(cmd);
  addSourceColumnOptions(cmd);
  addCovariateOptions(cmd);
  addRiskLayerOptions(cmd);
  cmd.action(async (o: BacktestOptions) => {
    const external = parseExternalSpecs(o.external);
    if (o.model.length === 0 && external.length === 0) throw new UserError('give at least one --model (e.g. --model moving-average:window=30 --model persistence) or --external NAME=FILE');
    for (const m of o.model) createForecaster(m); // fail fast on a bad spec, before loading data
    const opts = {
      reference: o.reference, bootstrap: int(o.bootstrap, '--bootstrap', 10), seed: int(o.seed, '--seed'),
      block: o.block === undefined ? undefined : o.block === 'auto' ? ('auto' as const) : int(o.block, '--block (or "auto")', 1),
      refitEvery: o.refitEvery ? int(o.refitEvery, '--refit-every', 1) : undefined,
      workers: o.workers ? int(o.workers, '--workers', 1) : undefined, dataDir: o.dataDir,
      threshold: o.threshold === undefined ? undefined : probability(o.threshold),
      external, externalMissing: parseMissingPolicy(o.externalMissing),
    };
    const pattern = o.metrics ? new RegExp(o.metrics) : undefined;
    const progress = startProgress('backtest', o.model.length);
    const done = new Map<string, number>();
    const onProgress = (model: string, fraction: number) => {
      done.set(model, fraction);
      progress.update([...done.values()].reduce((a, b) => a + b, 0), o.model.length, model);
    };
    if (o.basemap && !/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/.test(o.basemap)) throw new UserError(`--basemap ${o.basemap}: give an http(s) tile URL template with {z}, {x} and {y}`);
    // own-data context the report states in words (dataset, units, dates, refit cadence)
    let run: RunContext | undefined;
    // read before the run, so a bad file fails in a second, not after the backtest
    const overlays = o.report ? (o.overlay ?? []).map(readOverlay) : [];
    if (!o.report && o.overlay?.length) throw new UserError('--overlay draws on the report map: give --report FILE.html too');
    const t0 = performance.now();
    let result: ProtocolResult;
    let riskLayers: RiskLayerSummary | undefined;
    if (o.riskLayers?.length && (o.spec || o.protocol)) throw new UserError('--risk-layers applies to your own data (--input or --store), not to --protocol or --spec runs');
    // a shipped protocol is a spec file; --spec runs any other
    const specFile = o.spec ?? (o.protocol && existsSync(shippedSpecPath(o.protocol)) ? shippedSpecPath(o.protocol) : undefined);
    if (o.spec && o.protocol) throw new UserError('give --spec FILE or --protocol NAME, not both');
    if (specFile) {
      // a spec says its data, spans and categories itself: own-data flags would be silently ignored, so refuse them
      const ownData = ([['--input', o.input], ['--store', o.store], ['--test-from', o.testFrom], ['--test-to', o.testTo], ['--categories', o.categories]] as const).filter(([, v]) => v !== undefined).map(([k]) => k);
      if (ownData.length) throw new UserError(`${ownData.join(', ')} ${ownData.length > 1 ? 'do' : 'does'} not apply to --${o.spec ? 'spec' : 'protocol'}: the spec file sets its source, spans and categories`, `copy ${specFile} and edit it (see docs-benchmark-specs.md)`);
      const loaded: LoadedSpec = loadSpecFile(specFile);
      result = await runSpec(loaded, o.model, { ...opts, onProgress, acceptOutside: o.acceptOutside, adjacency: o.adjacency === undefined ? undefined : parseAdjacencyArg(o.adjacency) });
      // what the spec read, left out and assumed is said where the user looks, not only in the JSON
      if (!o.json) for (const n of result.notes) info(`note: ${n}`);
    } else if (o.protocol) {
      if (o.adjacency) throw new UserError(`--adjacency: protocol ${o.protocol} is not a spec file and keeps its own units`);
      result = await runProtocol(o.protocol, o.model, { ...opts, onProgress });
    } else {
      checkCovariateOptions(o);
      const unit = parsePeriodUnit(o.period);
      const table = await loadCommandIncidents({ ...o, from: undefined, to: o.testTo }, undefined, toReadOptions(o));
      if (table.n === 0) throw new UserError('no incidents match the selection');
      // own-data defaults that keep a run to minutes, each stated with the flag that changes it
      if (!o.testFrom) {
        const d = defaultTestFrom(table.t, unit, table.tz);
        o.testFrom = d.testFrom;
        info(d.note);
      }
      if (opts.refitEvery === undefined) {
        const d = defaultRefitEvery(unit);
        opts.refitEvery = d.refitEvery;
        info(d.note);
      }
      const cut = localDateToUtc(o.testFrom, table.tz);
      const training = selectIncidents(table, (i) => table.t[i] < cut);
      if (training.n === 0) throw new UserError(`no incidents before --test-from ${o.testFrom}: nothing to train on`);
      const area = studyAreaUnits(o.units, training);
      run = { dataset: o.input ? `file ${o.input}` : `store dataset ${o.dataset ?? 'default'}`, units: o.units, period: o.period, testFrom: o.testFrom, testTo: o.testTo, refitEvery: opts.refitEvery, horizon: parseHorizon(o.horizon, parsePeriodUnit(o.period)), tz: table.tz, studyArea: area.note.replace(/^study area: /, '') };
      info(area.note);
      // --test-to ends the periods (inclusive local date): incidents after it are outside the binning
      const data = buildDataset(table, {
        units: area.units, period: unit, categories: o.categories ? splitList(o.categories) : undefined, end: o.testTo,
      });
      // incidents in cells with no training incident are outside a study area drawn from training data: counted, expected
      const dropped = checkDropped(data.report, area.spec, o.acceptOutside || area.fromTraining);
      if (dropped) info(`note: ${dropped}`);
      if (o.adjacency) {
        const graph = loadAdjacency(parseAdjacencyArg(o.adjacency), data.units);
        data.units = withAdjacency(data.units, graph.adjacency);
        info(graph.note);
      }
      attachCovariates(data, o);
      riskLayers = attachRiskLayers(data, o, o.model);
      const testStart = data.tensor.periodStart.findIndex((t) => t >= cut);
      if (testStart <= 0) throw new UserError(`--test-from ${o.testFrom} leaves no ${testStart === 0 ? 'training history' : 'test periods'}`);
      if (!o.json) info(runPlanNote(o.model.length, data.tensor.periods - testStart, opts.refitEvery, parseHorizon(o.horizon, unit), { regions: data.tensor.regions, categories: data.tensor.categories, periods: data.tensor.periods, unit }));
      result = await runRolling(data, o.model, { ...opts, onProgress, testStart, horizon: parseHorizon(o.horizon, unit) });
    }
    progress.stop();
    const seconds = (performance.now() - t0) / 1000;
    const json = { ...resultJson(result, seconds), ...(riskLayers ? { riskLayers } : {}) };
    if (o.out) { mkdirSync(dirname(o.out), { recursive: true }); writeFileSync(o.out, JSON.stringify(json, null, 1)); }
    if (o.report) {
      mkdirSync(dirname(o.report), { recursive: true });
      writeFileSync(o.report, renderHtmlReport(protocolReport(result, { observed: result.observed, units: result.units, run, basemap: o.basemap, overlays })));
      if (!o.json) info(`report → ${o.report}`);
    }
    emit(!!o.json, json, () => leaderboardText(result, pattern) + `\n\n${o.model.length} model(s)${external.length ? ` + ${external.length} external` : ''}, ${result.testPeriodStart.length} test periods in ${seconds.toFixed(1)} s`);
  });
}
