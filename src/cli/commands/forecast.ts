/** `crimecast forecast`: fit a model on all data before a date and write the next periods' risk per region. */
import type { Command } from 'commander';
import { incidentsBefore } from '../../data/incident-table.js';
import { buildDataset, checkDropped, MAX_OUTSIDE_SHARE } from '../../tensor/dataset.js';
import { ADJACENCY_HELP, loadAdjacency, parseAdjacencyArg, withAdjacency } from '../../space/adjacency-file.js';
import { localDateToUtc, parsePeriodUnit, floorToPeriod } from '../../time/bins.js';
import { forecastOrigin, partialPeriodNote } from '../../forecast/origin.js';
import { produceForecast } from '../../forecast/produce.js';
import { DEFAULT_TOP_PLACES, forecastCsv, writeForecastGeoJSON } from '../../forecast/export.js';
import { regionTable, tableRows, topPlaces, topPlacesCsv } from '../../forecast/region-table.js';
import { writeForecastShapefile } from '../../forecast/export-shapefile.js';
import { writeForecastKml } from '../../forecast/export-kml.js';
import { writeForecastGeoPackage } from '../../forecast/export-geopackage.js';
import '../../models/all.js';
import { UserError } from '../../util/errors.js';
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import { explainForecastCells } from '../../models/explain/forecast-shap.js';
import { PanelForecaster } from '../../models/linear/panel-forecaster.js';
import { addCovariateOptions, attachCovariates, checkCovariateOptions, type CovariateOptions } from '../covariate-options.js';
import { addRiskLayerOptions, attachRiskLayers, type RiskLayerOptions } from '../risk-layer-options.js';
import { addDpOptions, describeRelease, geometryLeakNote, parseDpOptions, type DpCliOptions } from '../dp-options.js';
import { privatizeForecast } from '../../responsible/privacy/publish-forecast.js';
import { addIncidentSourceOptions, loadCommandIncidents, localDate, splitList, type IncidentSourceOptions } from '../incident-source.js';
import { parseCoverage, parseHorizon } from '../horizon.js';
import { emit, info } from '../output.js';
import { addSourceColumnOptions, toReadOptions, type SourceColumnOptions } from '../source-options.js';
import { startProgress } from '../progress.js';
import { writeFileSync } from 'node:fs';

interface ForecastOptions extends IncidentSourceOptions, CovariateOptions, RiskLayerOptions, DpCliOptions, Omit<SourceColumnOptions, 'preset' | 'bbox'> {
  acceptOutside?: boolean;
  model: string;
  units: string;
  adjacency?: string;
  period: string;
  horizon: string;
  top: string;
  out?: string;
  csv?: string;
  shp?: string;
  kml?: string;
  gpkg?: string;
  topPlaces: string;
  topCsv?: string;
  seed: string;
  dropFirstRow?: boolean;
  json?: boolean;
  explain?: string;
  explainTop: string;
}

const FORECAST_SENSITIVITY = 'for a forecast an assumption: moving-average:window=w over h periods moves one region by at most h/w; learned models have no such bound';

export function register(program: Command): void {
  const cmd = program
    .command('forecast')
    .description('fit a model on all data before --from and write the next periods\' risk per region (GeoJSON + CSV)')
    .requiredOption('--model <spec>', 'model spec, e.g. moving-average:window=30 (see `crimecast models`)')
    .option('--from <date>', 'first forecast day YYYY-MM-DD (local); training uses incidents strictly before it (default: after the last incident)')
    .option('--horizon <h>', 'how far ahead: a number of periods or 7d, 2w, 24h, 1m', '7d')
    .option('--top <coverage>', 'share of the area to flag, e.g. 5% or 0.05', '5%')
    .option('--units <spec>', 'spatial units: grid:250 | h3:9 | polygons:FILE.geojson,id=PROP | stshn', 'grid:500')
    .option('--period <unit>', 'hour | day | week | month', 'day')
    .option('--categories <list>', 'comma-separated categories to forecast (default: all)')
    .option('--out <file.geojson>', 'GeoJSON output (one feature per region), with FILE.csv and FILE.top.csv beside it; optional with --json, which then prints every region')
    .option('--csv <file.csv>', 'CSV output, one row per period × region × category with centroid (default: --out with .csv)')
    .option('--shp <dir>', 'also write an ESRI Shapefile folder (DIR/NAME.shp .shx .dbf .prj .cpg + NAME.fields.txt naming the 10-character dBase fields)')
    .option('--gpkg <file.gpkg>', 'also write an OGC GeoPackage (QGIS, ArcGIS Pro, GDAL): the forecast layer with full column names, forecast_fields (meaning and units of each column) and top_places')
    .option('--kml <file.kml>', 'also write KML (Google Earth): regions classed by expected incidents per km², flagged ones outlined')
    .option('--top-places <n>', 'how many of the highest-ranked regions the top-places table lists', String(DEFAULT_TOP_PLACES))
    .option('--top-csv <file.csv>', 'top-places table (default: --out with .top.csv)')
    .option('--seed <n>', 'random seed', '1')
    .option('--explain <file.json>', 'tree models (TreeSHAP) and panel-fe (coefficients, SEs, log-rate decomposition): write "why is this cell high" for the top flagged regions')
    .option('--explain-top <n>', 'how many of the highest-ranked regions to explain', '10')
    .option('--adjacency <source>', `region graph for graph/deep models: ${ADJACENCY_HELP}`)
    .option('--accept-outside', `go on when more than ${100 * MAX_OUTSIDE_SHARE}% of the incidents fall outside the units (they are left out and counted)`)
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  addSourceColumnOptions(cmd);
  addCovariateOptions(cmd);
  addRiskLayerOptions(cmd);
  addDpOptions(cmd, 'laplace', FORECAST_SENSITIVITY);
  cmd.action(async (o: ForecastOptions) => {
    const unit = parsePeriodUnit(o.period);
    const horizon = parseHorizon(o.horizon, unit);
    const coverage = parseCoverage(o.top);
    if (o.out === undefined && !o.json) throw new UserError('say where the forecast goes: --out forecast.geojson (writes .csv and .top.csv beside it), or --json to print it');
    if (o.out !== undefined && !o.out.endsWith('.geojson') && !o.out.endsWith('.json')) throw new UserError(`--out ${o.out}: give a .geojson file name`);
    if (o.gpkg && !o.gpkg.toLowerCase().endsWith('.gpkg')) throw new UserError(`--gpkg ${o.gpkg}: give a .gpkg file name`);
    if (o.kml && !o.kml.toLowerCase().endsWith('.kml')) throw new UserError(`--kml ${o.kml}: give a .kml file name`);
    const nTop = Number(o.topPlaces);
    if (!Number.isInteger(nTop) || nTop < 1) throw new UserError(`--top-places must be a positive integer, got "${o.topPlaces}"`);
    const seed = Number(o.seed);
    if (!Number.isInteger(seed)) throw new UserError(`--seed must be an integer, got "${o.seed}"`);
    const modelName = parseModelSpec(o.model).name;
    if (o.explain && getForecasterInfo(modelName).family !== 'trees' && modelName !== 'panel-fe') {
      throw new UserError(`--explain needs a tree model (decision-tree, random-forest, gbm: TreeSHAP) or panel-fe (exact log-rate decomposition), not "${o.model}"`);
    }
    checkCovariateOptions(o);
    const dp = parseDpOptions(o, 'laplace');
    if (dp && o.explain) throw new UserError('--explain writes what the model learned from the true counts, which --dp-epsilon does not protect', 'drop one of them');
    const progress = startProgress('forecast', 3);
    const all = await loadCommandIncidents({ ...o, from: undefined, to: o.from, categories: o.categories }, undefined, toReadOptions(o));
    if (all.n === 0) throw new UserError('no incidents match the selection');
    const tz = all.tz;
    // the cut-off is the start of the first forecast period; a period still running now is not history
    const origin = o.from ? { cutoff: floorToPeriod(localDateToUtc(o.from, tz), unit, tz) } : forecastOrigin(all.t, unit, tz);
    const cutoff = origin.cutoff;
    const partial = partialPeriodNote(origin, unit, (ms) => localDate(ms, tz));
    if (partial && !o.json) info(`note: ${partial}`);
    const past = incidentsBefore(all, cutoff);
    if (past.n === 0) throw new UserError(`no incidents before ${o.from ?? localDate(cutoff, tz)}`);
    progress.update(1, 3, 'incidents loaded');
    const data = buildDataset(past, { units: o.units, period: unit, end: cutoff, categories: o.categories ? splitList(o.categories) : undefined });
    const dropped = checkDropped(data.report, o.units, o.acceptOutside);
    if (dropped && !o.json) info(`note: ${dropped}`);
    if (o.adjacency) {
      const graph = loadAdjacency(parseAdjacencyArg(o.adjacency), data.units);
      data.units = withAdjacency(data.units, graph.adjacency);
      if (!o.json) info(graph.note);
    }
    attachCovariates(data, o);
    const riskLayers = attachRiskLayers(data, o, [o.model]);
    progress.update(2, 3, 'tensor built');
    const trueProduct = await produceForecast(data, o.model, horizon, { coverage, seed });
    // under --dp-epsilon every file below is written from the noisy values only
    const priv = dp ? privatizeForecast(trueProduct, data.units.area, dp.mechanism, { epsilon: dp.epsilon, sensitivity: dp.sensitivity }, dp.seed) : undefined;
    const product = priv?.product ?? trueProduct;
    if (priv && !o.json) {
      for (const line of describeRelease(priv.release, FORECAST_SENSITIVITY)) info(line);
      const leak = geometryLeakNote(o.units, false);
      if (leak) info(`  ⚠ ${leak}`);
      for (const w of trueProduct.warnings) info(`about the noiseless forecast (not published): ${w}`);
    }
    const table = regionTable(product, data.units);
    if (o.out) writeForecastGeoJSON(o.out, product, data.units, { top: nTop, table });
    // without --out (--json alone) only the files asked for by name are written; the regions go to stdout
    const base = o.out?.replace(/\.(geo)?json$/, '');
    const topCsv = o.topCsv ?? (base === undefined ? undefined : `${base}.top.csv`);
    const top = topPlaces(product, data.units, nTop, table);
    if (topCsv) writeFileSync(topCsv, topPlacesCsv(top, table.periodStart, table.periodEnd));
    const shp = o.shp ? writeForecastShapefile(o.shp, product, data.units, { table }) : undefined;
    if (o.kml) writeForecastKml(o.kml, product, data.units, table);
    if (o.gpkg) await writeForecastGeoPackage(o.gpkg, product, data.units, { table, top: nTop });
    if (o.explain) {
      const n = Number(o.explainTop);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--explain-top must be a positive integer, got "${o.explainTop}"`);
      const regions = [...product.rank.keys()].sort((a, b) => product.rank[a] - product.rank[b]).slice(0, n);
      const cells = regions.flatMap((region) => product.categories.map((_, category) => ({ region, category })));
      const period = localDate(product.periodStart[0], tz);
      const out = product.fitted instanceof PanelForecaster
        // coefficients with cluster-robust SEs, the between regression of area effects, and each cell's decomposition
        ? { model: o.model, period, summary: product.fitted.summary(), cells: product.fitted.explainCells(data, cells) }
        : { model: o.model, period, cells: explainForecastCells(product.fitted, data, cells) };
      writeFileSync(o.explain, JSON.stringify(out, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1));
    }
    const csvPath = o.csv ?? (base === undefined ? undefined : `${base}.csv`);
    if (csvPath) writeFileSync(csvPath, forecastCsv(product, data.units, table));
    progress.stop();
    const flagged = product.flagged.reduce((a, b) => a + b, 0);
    const total = product.expected.reduce((a, b) => a + b, 0);
    const result = {
      model: o.model,
      from: localDate(product.periodStart[0], tz),
      periods: horizon,
      unit,
      units: { spec: o.units, n: data.units.n },
      categories: product.categories,
      trainedOn: { incidents: past.n, periods: data.tensor.periods, firstPeriod: localDate(data.tensor.periodStart[0], tz) },
      expectedTotal: +total.toFixed(3),
      coverage,
      flaggedRegions: flagged,
      fitSeconds: +product.fitSeconds.toFixed(3),
      warnings: product.warnings,
      ...(riskLayers ? { riskLayers } : {}),
      ...(priv ? { differentialPrivacy: { ...priv.release, sensitivityNote: FORECAST_SENSITIVITY, geometryNote: geometryLeakNote(o.units, false) ?? null } } : {}),
      ...(partial ? { partialPeriodLeftOut: { from: localDate(origin.partial!.periodStart, tz), incidents: origin.partial!.incidents, note: partial } } : {}),
      to: table.periodEnd.slice(0, 10),
      expectedMeans: `incidents per region over the whole horizon (${table.periodStart} to ${table.periodEnd}); expected_per_period divides by ${horizon}`,
      topPlaces: top,
      out: o.out ?? null,
      csv: csvPath ?? null,
      topCsv: topCsv ?? null,
      ...(o.out ? {} : { regions: tableRows(table) }),
      ...(shp ? { shp: shp.files } : {}),
      ...(o.kml ? { kml: o.kml } : {}),
      ...(o.gpkg ? { gpkg: o.gpkg } : {}),
    };
    emit(!!o.json, result, () =>
      `forecast ${o.model}: ${horizon} ${unit}(s) from ${result.from}, ${data.units.n} regions, expected ${total.toFixed(1)} incidents; ` +
      `${flagged} regions flagged at ${(coverage * 100).toFixed(1)}% of the area → ${[o.out, csvPath, topCsv].filter((f) => f !== undefined).concat([...(shp ? [shp.files[0]] : []), ...(o.kml ? [o.kml] : []), ...(o.gpkg ? [o.gpkg] : [])]).join(', ')}` +
      `\ntop ${top.length} places (expected incidents from ${result.from} up to ${result.to}, and per km²): ` + top.slice(0, 5).map((t) => `${t.rank}. ${t.label} ${t.expected_total.toFixed(2)} (${t.expected_per_km2.toFixed(2)}/km²)`).join('; ') +
      product.warnings.map((w) => `\n⚠ ${w}`).join(''));
  });
}
