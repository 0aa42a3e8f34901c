/**
 * `crimecast audit`: fairness audit of a forecast's flagged areas against per-region group populations, with
 * bootstrap CIs over test periods. Forecasts come from a JSON file (--predictions) or from a rolling-origin
 * backtest of --model on incidents (--input/--store), units and a test window.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { runBacktest } from '../../evaluate/backtest/engine.js';
import { renderHtmlReport } from '../../evaluate/report/html.js';
import type { ReportSection } from '../../evaluate/report/types.js';
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import '../../models/all.js';
import { auditForecasts, type AuditGroup, type AuditResult } from '../../responsible/audit/audit.js';
import { loadGroupTable, parseGroupColumns, quantileGroups } from '../../responsible/audit/groups.js';
import { auditSection, auditText } from '../../responsible/audit/report.js';
import { buildModelCard } from '../../responsible/model-card/build.js';
import { modelCardMarkdown, modelCardSection } from '../../responsible/model-card/render.js';
import { SourceTable, victimReportedOnly, warnIfPoliceInitiated } from '../../responsible/source-bias.js';
import { buildUnits } from '../../space/build-units.js';
import type { AreaGeometry } from '../../space/units.js';
import { buildDataset } from '../../tensor/dataset.js';
import { floorToPeriod, localDateToUtc, parsePeriodUnit } from '../../time/bins.js';
import { joinCovariates } from '../../features/covariates.js';
import { UserError } from '../../util/errors.js';
import { addIncidentSourceOptions, loadCommandIncidents, localDate, splitList, type IncidentSourceOptions } from '../incident-source.js';
import { parseCoverage } from '../horizon.js';
import { emit, info } from '../output.js';

interface AuditOptions extends IncidentSourceOptions {
  predictions?: string;
  model?: string;
  units?: string;
  period: string;
  testFrom?: string;
  demographics: string;
  key: string;
  groupColumns?: string;
  populationColumn?: string;
  bandBy?: string;
  bandFile?: string;
  bandKey?: string;
  bands: string;
  coverage: string;
  bootstrap: string;
  seed: string;
  victimReportedOnly?: boolean;
  sourceTags?: string;
  out?: string;
  report?: string;
  modelCard?: string;
  dropFirstRow?: boolean;
  json?: boolean;
}

interface PredictionFile {
  regionIds: string[];
  predictions: number[][];
  observed: number[][];
  area?: number[];
}

interface Prepared {
  regionIds: string[];
  predictions: Float64Array;
  observed: Float64Array;
  area: Float64Array;
  geometry?: (i: number) => AreaGeometry;
  context: Record<string, unknown>;
  card?: Parameters<typeof buildModelCard>[0];
}

function intOpt(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new UserError(`--${name} must be an integer ≥ ${min} (got "${text}")`);
  return v;
}

function fromFile(o: AuditOptions): Prepared {
  let f: PredictionFile;
  try { f = JSON.parse(readFileSync(o.predictions!, 'utf8')) as PredictionFile; } catch (e) { throw new UserError(`${o.predictions}: cannot read JSON (${(e as Error).message})`); }
  if (!Array.isArray(f.regionIds) || !Array.isArray(f.predictions) || !Array.isArray(f.observed)) {
    throw new UserError(`${o.predictions}: expected {"regionIds": [...], "predictions": [[...per region] per period], "observed": [[...]], "area"?: [...]}`);
  }
  const R = f.regionIds.length, T = f.predictions.length;
  if (f.observed.length !== T) throw new UserError(`${o.predictions}: ${T} prediction periods but ${f.observed.length} observed`);
  const flat = (m: number[][], name: string) => {
    const out = new Float64Array(T * R);
    m.forEach((row, t) => {
      if (row.length !== R) throw new UserError(`${o.predictions}: ${name}[${t}] has ${row.length} values, expected ${R}`);
      out.set(row, t * R);
    });
    return out;
  };
  let area: Float64Array, geometry: Prepared['geometry'];
  if (f.area) area = Float64Array.from(f.area);
  else if (o.units) {
    const units = buildUnits(o.units);
    const idx = f.regionIds.map((id) => units.ids.indexOf(id));
    const miss = f.regionIds.filter((_, i) => idx[i] < 0);
    if (miss.length) throw new UserError(`regions ${miss.slice(0, 5).join(', ')} are not in --units`);
    area = Float64Array.from(idx, (i) => units.area[i]);
    geometry = (i) => units.geometry(idx[i]);
  } else throw new UserError('give region areas: an "area" array in the predictions file, or --units');
  return { regionIds: f.regionIds, predictions: flat(f.predictions, 'predictions'), observed: flat(f.observed, 'observed'), area, geometry, context: { source: o.predictions, periods: T } };
}

async function fromModel(o: AuditOptions): Promise<Prepared> {
  if (!o.units) throw new UserError('--model needs --units (e.g. polygons:community_areas.geojson,id=area_numbe)');
  if (!o.testFrom) throw new UserError('--model needs --test-from YYYY-MM-DD (the first audited period)');
  const unit = parsePeriodUnit(o.period);
  const table = await loadCommandIncidents(o);
  if (table.n === 0) throw new UserError('no incidents match the selection');
  const tags = o.sourceTags ? SourceTable.fromFile(o.sourceTags) : new SourceTable();
  let categories = o.categories ? splitList(o.categories) : [...table.categories];
  const dropped: string[] = [];
  if (o.victimReportedOnly) {
    const v = victimReportedOnly(categories, tags);
    categories = v.kept;
    dropped.push(...v.dropped.map((d) => `${d.category} (${d.tag})`));
    if (categories.length === 0) throw new UserError('--victim-reported-only left no category', 'tag categories with --source-tags FILE.json');
  }
  const warnings = warnIfPoliceInitiated(categories, tags).map((w) => w.message);
  for (const w of warnings) info(`warning: ${w}`);
  const data = buildDataset(table, { units: o.units, period: unit, categories });
  const t = data.tensor, R = t.regions, C = t.categories;
  const start = floorToPeriod(localDateToUtc(o.testFrom, t.tz), unit, t.tz);
  let testStart = -1;
  for (let p = 0; p < t.periods; p++) if (t.periodStart[p] >= start) { testStart = p; break; }
  if (testStart < 1) throw new UserError(`--test-from ${o.testFrom} leaves no history before it or no period after it`);
  const seed = intOpt('seed', o.seed, 0);
  const bt = await runBacktest(data, o.model!, { testStart, seed });
  const T = bt.testEnd - bt.testStart;
  const predictions = new Float64Array(T * R), observed = new Float64Array(T * R);
  for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
    predictions[p * R + r] += bt.mean[(p * R + r) * C + c];
    observed[p * R + r] += t.data[((testStart + p) * R + r) * C + c];
  }
  const { name } = parseModelSpec(o.model!);
  const fam = getForecasterInfo(name);
  const trainingWindow = { from: localDate(t.periodStart[0], t.tz), to: localDate(t.periodStart[testStart - 1], t.tz) };
  return {
    regionIds: data.units.ids, predictions, observed, area: Float64Array.from(data.units.area), geometry: (i) => data.units.geometry(i),
    context: {
      model: bt.spec, units: { spec: o.units, n: R }, period: unit, categories, droppedCategories: dropped, warnings,
      training: trainingWindow, test: { from: localDate(t.periodStart[testStart], t.tz), to: localDate(t.periodStart[t.periods - 1], t.tz), periods: T },
    },
    card: {
      spec: bt.spec, name: bt.name, params: bt.params, family: fam.family, description: fam.description,
      sources: [o.input ?? `store ${o.store ?? '(default)'}${o.dataset ? ` dataset ${o.dataset}` : ''}`, `${o.demographics} (fairness audit only)`],
      trainingWindow, periodUnit: unit, categories, spatialUnit: { kind: data.units.kind, spec: o.units, regions: R },
      protocol: `rolling origin, 1-${unit} horizon, refit every period, test ${T} periods from ${o.testFrom}`, sourceTable: tags,
    },
  };
}

function groupsFor(o: AuditOptions, regionIds: string[]): { groups: AuditGroup[]; population?: Float64Array } {
  const cols = o.groupColumns ? parseGroupColumns(o.groupColumns) : [];
  if (cols.length === 0 && !o.bandBy) throw new UserError('give --group-columns (e.g. P0050003=White,P0050004=Black) or --band-by COLUMN');
  const gt = cols.length ? loadGroupTable(o.demographics, regionIds, o.key, cols, o.populationColumn) : undefined;
  let population = gt?.population;
  const groups = [...(gt?.groups ?? [])];
  if (o.bandBy) {
    if (!o.populationColumn) throw new UserError('--band-by needs --population-column (bands are population-weighted)');
    population ??= loadGroupTable(o.demographics, regionIds, o.key, [], o.populationColumn).population!;
    const file = o.bandFile ?? o.demographics, key = o.bandKey ?? o.key;
    const j = joinCovariates(file, regionIds, key, [o.bandBy]);
    if (j.missingRegions.length) throw new UserError(`${file}: no "${o.bandBy}" row for region(s) ${j.missingRegions.slice(0, 10).join(', ')}`);
    groups.push(...quantileGroups(j.covariates.values, population, intOpt('bands', o.bands, 2), o.bandBy.trim()));
  }
  return { groups, population };
}

export function register(program: Command): void {
  const cmd = program
    .command('audit')
    .description('fairness audit of flagged areas: shares vs population and recorded crime, hit rate, PAI and calibration per group, with bootstrap CIs')
    .option('--predictions <file.json>', 'forecasts to audit: {"regionIds", "predictions" [T][R], "observed" [T][R], "area"?}')
    .option('--model <spec>', 'or backtest this model (e.g. moving-average:window=30) on the incidents and audit its test forecasts')
    .option('--units <spec>', 'spatial units, e.g. polygons:community_areas.geojson,id=area_numbe')
    .option('--period <unit>', 'hour | day | week | month', 'day')
    .option('--test-from <date>', 'with --model: first audited period (local date); every later period is audited')
    .option('--categories <list>', 'with --model: categories to forecast (default: all)')
    .requiredOption('--demographics <file>', 'per-region group populations (CSV or GeoJSON)')
    .option('--key <column>', 'join column in --demographics matching the unit ids', 'GEOGKEYX')
    .option('--group-columns <list>', 'COLUMN=Name,… group population columns, e.g. P0050003=White,P0050004=Black,P0050010=Hispanic,P0050006=Asian')
    .option('--population-column <column>', 'total population column (default: sum of the groups)')
    .option('--band-by <column>', 'also audit population-weighted quantile bands of a region attribute (e.g. "HARDSHIP INDEX")')
    .option('--band-file <file>', 'file holding --band-by (default: --demographics)')
    .option('--band-key <column>', 'join column of --band-file (default: --key)')
    .option('--bands <n>', 'number of quantile bands', '3')
    .option('--coverage <c>', 'share of the area flagged each period, e.g. 10% or 0.1', '10%')
    .option('--bootstrap <B>', 'bootstrap resamples over test periods', '1000')
    .option('--seed <n>', 'random seed (model fitting and bootstrap)', '1')
    .option('--victim-reported-only', 'with --model: keep only victim-reported categories (see source tags)')
    .option('--source-tags <file.json>', 'category source-tag overrides {"CATEGORY": "victim-reported" | "police-initiated" | "mixed"}')
    .option('--out <file.json>', 'write the full audit as JSON')
    .option('--report <file.html>', 'write an HTML report (audit section, map, model card when --model is used)')
    .option('--model-card <file.md>', 'with --model: write a model card as Markdown (and FILE.json)')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  cmd.action(async (o: AuditOptions) => {
    if (!!o.predictions === !!o.model) throw new UserError('give exactly one of --predictions FILE.json or --model SPEC');
    const coverage = parseCoverage(o.coverage);
    const B = intOpt('bootstrap', o.bootstrap, 10), seed = intOpt('seed', o.seed, 0);
    const prep = o.predictions ? fromFile(o) : await fromModel(o);
    const { groups, population } = groupsFor(o, prep.regionIds);
    const audit: AuditResult = auditForecasts({
      predictions: prep.predictions, observed: prep.observed, regions: prep.regionIds.length, area: prep.area,
      groups, population, coverage, bootstrap: { B, seed },
    });
    const sections: ReportSection[] = [auditSection(audit, { regionIds: prep.regionIds, geometry: prep.geometry })];
    const result: Record<string, unknown> = { ...prep.context, coverage, bootstrap: B, audit, regionIds: prep.regionIds };
    if (prep.card) {
      const card = buildModelCard({ ...prep.card, audit, metrics: { [`hit rate @ ${(coverage * 100).toFixed(1)}%`]: audit.overall.hitRate, [`PAI @ ${(coverage * 100).toFixed(1)}%`]: audit.overall.pai, 'calibration (predicted / observed)': audit.overall.calibration } });
      sections.push(modelCardSection(card));
      if (o.modelCard) {
        writeFileSync(o.modelCard, modelCardMarkdown(card));
        writeFileSync(o.modelCard.replace(/\.md$/, '') + '.json', JSON.stringify(card, null, 2));
        result.modelCard = o.modelCard;
      }
    } else if (o.modelCard) throw new UserError('--model-card needs --model (a predictions file does not say which model made it)');
    if (o.out) { writeFileSync(o.out, JSON.stringify(result, jsonSafe, 1)); result.out = o.out; }
    if (o.report) {
      writeFileSync(o.report, renderHtmlReport({ title: 'CrimeCast fairness audit', subtitle: String(prep.context.model ?? prep.context.source ?? ''), generatedAt: new Date().toISOString(), sections }));
      result.report = o.report;
    }
    emit(!!o.json, result, () => auditText(audit));
  });
}

/** Typed arrays as plain arrays; NaN/Infinity as null (JSON has neither). */
function jsonSafe(_k: string, v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  return v;
}
