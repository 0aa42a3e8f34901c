/**
 * `crimecast demo` (npm run demo): the main job end to end on the bundled Chicago sample, embedded store, no server —
 * ingest (idempotent), rolling-origin backtest of the baselines, hot-spot and grid-ETAS models on a 500 m grid,
 * an offline HTML leaderboard, and next week's forecast from the model with the best log score.
 */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import '../../models/all.js';
import { closeStore, ingestFile, loadIncidents, openStore } from '../../data/store.js';
import { studyAreaUnits } from '../../space/study-area.js';
import { selectIncidents } from '../../data/incident-table.js';
import { buildDataset } from '../../tensor/dataset.js';
import { runRolling } from '../../evaluate/protocols/rolling.js';
import { protocolReport } from '../../evaluate/report/protocol-report.js';
import { renderHtmlReport } from '../../evaluate/report/html.js';
import { produceForecast } from '../../forecast/produce.js';
import { DEFAULT_TOP_PLACES, forecastCsv, writeForecastGeoJSON } from '../../forecast/export.js';
import { regionTable, topPlaces, topPlacesCsv } from '../../forecast/region-table.js';
import { writeForecastShapefile } from '../../forecast/export-shapefile.js';
import { writeForecastKml } from '../../forecast/export-kml.js';
import { writeForecastGeoPackage } from '../../forecast/export-geopackage.js';
import { recommend } from '../../evaluate/report/decision.js';
import { localDateToUtc, isoLocal } from '../../time/bins.js';
import { emit, info } from '../output.js';
import { startProgress } from '../progress.js';
import { resultJson } from '../../evaluate/report/result-json.js';
import { saveCliResults } from '../../serve/services/cli-results.js';

const SAMPLE = fileURLToPath(new URL('../../../data/sample/chicago_2017_09_12.csv', import.meta.url));
export const DEMO_MODELS = [
  'historical-average',
  'moving-average:window=28',
  'persistence',
  'seasonal-naive:season=7,seasons=4',
  'kde:bandwidth=300',
  'prospective',
  'etas-grid',
];

interface DemoOptions { store: string; out: string; units: string; testFrom: string; refitEvery: string; model: string[]; json?: boolean }

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the main job on the bundled Chicago sample: ingest, backtest the baselines, HTML report, next week\'s forecast')
    .option('--store <path>', 'embedded store for the demo', '.crimecast/demo.duckdb')
    .option('--out <dir>', 'output folder', 'out/demo')
    .option('--units <spec>', 'spatial units', 'grid:500')
    .option('--test-from <date>', 'first test day', '2017-12-01')
    .option('--refit-every <k>', 'refit every k test days', '7')
    .option('--model <spec>', 'add a model to the leaderboard (repeatable), e.g. gbm:trainPeriods=28', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print one JSON object on stdout')
    .action(async (o: DemoOptions) => {
      const models = [...DEMO_MODELS, ...o.model];
      mkdirSync(o.out, { recursive: true });
      const store = await openStore(o.store);
      const storePath = store.path;
      let table;
      let ingest;
      try {
        ingest = await ingestFile(store, SAMPLE, { preset: 'stshn-chicago', dataset: 'chicago-sample' });
        if (!o.json) info(`ingest: ${ingest.ingested} new, ${ingest.duplicates} duplicates, ${ingest.rejected} rejected (${ingest.seconds.toFixed(1)} s)`);
        table = await loadIncidents(store, { dataset: 'chicago-sample' });
      } finally {
        closeStore(store);
      }
      const cut = localDateToUtc(o.testFrom, table.tz);
      // hot-spot areas are shares of a study area drawn from the training incidents, as in `crimecast backtest`
      const area = studyAreaUnits(o.units, selectIncidents(table, (i) => table!.t[i] < cut));
      if (!o.json) info(area.note);
      const data = buildDataset(table, { units: area.units, period: 'day' });
      const testStart = data.tensor.periodStart.findIndex((t) => t >= cut);
      const progress = startProgress('backtest', models.length);
      const done = new Map<string, number>();
      const started = new Date();
      const t0 = performance.now();
      const result = await runRolling(data, models, {
        testStart, refitEvery: Number(o.refitEvery), bootstrap: 500, seed: 1, name: 'demo',
        description: `bundled Chicago sample (Sep–Dec 2017), ${o.units} (${data.units.n} cells), daily, test from ${o.testFrom}`,
        onProgress: (m, f) => { done.set(m, f); progress.update([...done.values()].reduce((a, b) => a + b, 0), models.length, m); },
      });
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const reportPath = join(o.out, 'report.html');
      writeFileSync(reportPath, renderHtmlReport(protocolReport(result, {
        observed: result.observed, units: result.units,
        run: { dataset: `bundled Chicago sample (${SAMPLE.split(/[\\/]/).pop()}, store dataset chicago-sample)`, units: o.units, period: 'day', testFrom: o.testFrom, refitEvery: Number(o.refitEvery), tz: table.tz },
      })));
      const json = resultJson(result, seconds);
      writeFileSync(join(o.out, 'backtest.json'), JSON.stringify(json, null, 1));
      // next week's forecast from the model the report recommends (its stated rule), so report and forecast agree
      const best = recommend(result).model;
      const product = await produceForecast(data, best.spec, 7, { coverage: 0.05 });
      const geo = join(o.out, 'forecast.geojson'), csv = join(o.out, 'forecast.csv'), topCsv = join(o.out, 'forecast.top.csv');
      const shpDir = join(o.out, 'forecast-shp'), kml = join(o.out, 'forecast.kml');
      const regions = regionTable(product, data.units);
      writeForecastGeoJSON(geo, product, data.units, { table: regions });
      writeFileSync(csv, forecastCsv(product, data.units, regions));
      writeFileSync(topCsv, topPlacesCsv(topPlaces(product, data.units, DEFAULT_TOP_PLACES, regions), regions.periodStart, regions.periodEnd));
      const shp = writeForecastShapefile(shpDir, product, data.units, { name: 'forecast', table: regions });
      writeForecastKml(kml, product, data.units, regions);
      const gpkg = join(o.out, 'forecast.gpkg');
      await writeForecastGeoPackage(gpkg, product, data.units, { table: regions });
      // the same results for `crimecast serve --store <the demo store>`: its dashboard lists them, tagged as from the CLI
      const served = saveCliResults(storePath, 'crimecast demo', {
        backtest: {
          // units as given (what the dashboard compares and reuses), the study area as built beside them
          request: { dataset: 'chicago-sample', units: o.units, studyArea: area.spec, period: 'day', models, testFrom: o.testFrom, horizon: 1, bootstrap: 500, seed: 1, refitEvery: Number(o.refitEvery) },
          data, result, testStart, started, seconds,
        },
        forecast: { request: { dataset: 'chicago-sample', units: o.units, studyArea: area.spec, period: 'day', model: best.spec, horizon: 7, coverage: 0.05, seed: 1 }, product, data, trainedOnIncidents: table.n },
      }, (line) => info(line));
      const serveCommand = `npx crimecast serve --store ${o.store}`;
      const summary = {
        ingest: { ingested: ingest.ingested, duplicates: ingest.duplicates, rejected: ingest.rejected },
        dataset: { incidents: table.n, regions: data.units.n, periods: data.tensor.periods, categories: data.tensor.categoryNames },
        backtest: json,
        forecast: { model: best.spec, from: isoLocal(product.periodStart[0], product.tz), days: 7, geojson: geo, csv, topPlaces: topCsv, shapefile: shp.files[0], kml, geopackage: gpkg },
        report: reportPath,
        serve: { results: served.dir, backtest: served.backtest, forecast: served.forecast, command: serveCommand },
      };
      emit(!!o.json, summary, () => {
        const rows = result.models.map((m) => {
          const g = (k: string) => m.metrics[k];
          const f = (k: string) => `${g(k).value.toFixed(3)} [${g(k).lo.toFixed(3)}, ${g(k).hi.toFixed(3)}]`;
          return `  ${m.spec.padEnd(42)} MAE ${f('MAE/all')}  logScore ${f('logScore/all')}  PAI@1% ${f('PAI@1%/all')}  PAI@5% ${f('PAI@5%/all')}`;
        });
        return [`demo backtest (${result.testPeriodStart.length} test days, ${data.units.n} cells) in ${seconds.toFixed(1)} s:`, ...rows,
          `report → ${reportPath}`, `forecast (${best.spec}, the report's recommendation) → ${geo}, ${csv}, ${topCsv}, ${shp.files[0]}, ${kml}, ${gpkg}`,
          `backtest ${served.backtest} and forecast #${served.forecast} saved for the dashboard → ${served.dir}; see them with: ${serveCommand}`].join('\n');
      });
    });
}
