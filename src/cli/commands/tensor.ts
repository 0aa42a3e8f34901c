/**
 * `crimecast tensor`: incidents → count tensor (periods × regions × categories) written as .npy (+ .meta.json)
 * or long CSV. Also home of the incident-source options shared with `crimecast grid`: a file read with a
 * preset (--input/--preset) or the embedded store (--store/--dataset).
 */
import type { Command } from 'commander';
import { addIncidentSourceOptions, loadCommandIncidents, localDate, splitList, type IncidentSourceOptions } from '../incident-source.js';
import { parseBBox } from '../../space/bbox.js';
import { buildUnits } from '../../space/build-units.js';
import { writeUnitsGeoJSON } from '../../space/geojson.js';
import { localDateToUtc, makeBinning, parsePeriodUnit, periodLabel, stepPeriod } from '../../time/bins.js';
import { buildCountTensor } from '../../tensor/build.js';
import { writeTensorFile } from '../../tensor/io.js';
import { UserError } from '../../util/errors.js';
import { emit, info } from '../output.js';
import { startProgress } from '../progress.js';


/** UTC instant of the midnight after a local date. */
const stepDay = (date: string, tz: string) => stepPeriod(localDateToUtc(date, tz), 'day', tz);


interface TensorCommandOptions extends IncidentSourceOptions {
  units: string;
  period: string;
  out: string;
  tz?: string;
  dropFirstRow?: boolean;
  unitsOut?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('tensor')
    .description('count incidents per period, region and category into a tensor (.npy + .meta.json, or long CSV)')
    .requiredOption('--units <spec>', 'spatial units: grid:250 | h3:9 | polygons:FILE.geojson,id=PROP | stshn')
    .option('--period <unit>', 'hour | day | week | month (local time, DST-correct)', 'day')
    .option('--from <date>', 'first local date YYYY-MM-DD (default: first incident)')
    .option('--to <date>', 'last local date YYYY-MM-DD, inclusive (default: last incident)')
    .option('--categories <list>', 'comma-separated categories to count, in tensor order (default: all)')
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'keep incidents inside this box; also the grid extent')
    .option('--tz <zone>', 'IANA zone for binning (default: the data\'s)')
    .requiredOption('--out <file>', 'output tensor: .npy or .csv')
    .option('--units-out <file>', 'also write the unit set as GeoJSON with per-region totals')
    .option('--json', 'print one JSON object on stdout');
  addIncidentSourceOptions(cmd);
  cmd.action(async (o: TensorCommandOptions) => {
    const unit = parsePeriodUnit(o.period);
    if (!o.out.endsWith('.npy') && !o.out.endsWith('.csv')) throw new UserError(`--out ${o.out}: end the file name with .npy or .csv`);
    const bbox = o.bbox ? parseBBox(o.bbox) : undefined;
    const progress = startProgress('tensor', 4);
    const table = await loadCommandIncidents(o, bbox);
    progress.update(1, 4, 'incidents loaded');
    if (table.n === 0) throw new UserError('no incidents match the selection');
    const tz = o.tz ?? table.tz;
    let tMin = Infinity, tMax = -Infinity;
    for (let i = 0; i < table.n; i++) {
      const t = table.t[i];
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
    }
    const from = o.from ?? localDate(tMin, tz), to = o.to ?? localDate(tMax, tz);
    const binning = makeBinning({ unit, tz, start: from, end: to });
    // a week/month window that starts or ends mid-period holds a partial first/last period: say so
    const partial = {
      first: binning.edges[0] < localDateToUtc(from, tz),
      last: binning.edges[binning.periods] > stepDay(to, tz),
    };
    const units = buildUnits(o.units, table, { bbox });
    progress.update(2, 4, 'units built');
    const { tensor, report } = buildCountTensor(table, units, binning, { categories: o.categories ? splitList(o.categories) : undefined });
    progress.update(3, 4, 'counted');
    writeTensorFile(o.out, tensor);
    if (o.unitsOut) {
      const totals = new Float64Array(tensor.regions);
      for (let p = 0; p < tensor.periods; p++) for (let r = 0; r < tensor.regions; r++) for (let c = 0; c < tensor.categories; c++) totals[r] += tensor.data[(p * tensor.regions + r) * tensor.categories + c];
      writeUnitsGeoJSON(o.unitsOut, units, { total: totals });
    }
    progress.stop();
    if ((partial.first || partial.last) && !o.json) info(`note: the ${[partial.first ? 'first' : '', partial.last ? 'last' : ''].filter(Boolean).join(' and ')} ${unit} only partly lies in ${from} … ${to}`);
    if (report.dropped > 0 && !o.json) info(`note: ${report.dropped} of ${report.total} incidents not counted (outside units ${report.outsideUnits}, outside periods ${report.outsidePeriods}, other category ${report.otherCategory})`);
    const result = {
      out: o.out,
      shape: [tensor.periods, tensor.regions, tensor.categories],
      unit,
      tz,
      firstPeriod: periodLabel(tensor.periodStart[0], unit, tz),
      lastPeriod: periodLabel(tensor.periodStart[tensor.periods - 1], unit, tz),
      units: { kind: units.kind, n: units.n, spec: o.units },
      categories: tensor.categoryNames,
      report,
      partialPeriods: partial,
      unitsOut: o.unitsOut,
    };
    emit(!!o.json, result, () =>
      `wrote ${o.out}: ${tensor.periods} ${unit} periods (${result.firstPeriod} … ${result.lastPeriod}) × ${units.n} ${units.kind} regions × ${tensor.categories} categories; ` +
      `${report.counted} of ${report.total} incidents counted`);
  });
}
