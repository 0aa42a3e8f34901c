/**
 * Incidents + a unit spec + a period → everything a model may be shown (the BacktestData / History shape):
 * the count tensor, the units, and each incident's region and category. Shared by forecast, backtest,
 * hot-spot, trend and demo so they all discretise data the same way.
 */
import type { IncidentTable } from '../data/incident-table.js';
import type { History } from '../models/forecaster.js';
import type { SpatialUnits } from '../space/units.js';
import { buildUnits } from '../space/build-units.js';
import type { BBox } from '../space/bbox.js';
import { makeBinning, type PeriodUnit } from '../time/bins.js';
import { UserError } from '../util/errors.js';
import { buildCountTensor, type TensorBuildReport } from './build.js';

export interface DatasetOptions {
  /** Unit spec, e.g. grid:250, h3:9, polygons:FILE.geojson,id=PROP. */
  units: string | SpatialUnits;
  period: PeriodUnit;
  /** First instant (UTC ms or local date); default: the first incident. */
  start?: number | string;
  /** End, exclusive UTC ms or inclusive local date; default: the last incident. */
  end?: number | string;
  categories?: string[];
  tz?: string;
  bbox?: BBox;
}

export interface Dataset extends History {
  units: SpatialUnits;
  report: TensorBuildReport;
}

export function buildDataset(incidents: IncidentTable, o: DatasetOptions): Dataset {
  if (incidents.n === 0) throw new UserError('no incidents to build a dataset from');
  const tz = o.tz ?? incidents.tz;
  let tMin = Infinity, tMax = -Infinity;
  for (let i = 0; i < incidents.n; i++) {
    const t = incidents.t[i];
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
  }
  const binning = makeBinning({ unit: o.period, tz, start: o.start ?? tMin, end: o.end ?? tMax + 1 });
  const units = typeof o.units === 'string' ? buildUnits(o.units, incidents, { bbox: o.bbox }) : o.units;
  const built = buildCountTensor(incidents, units, binning, { categories: o.categories });
  return {
    tensor: built.tensor,
    units,
    incidents,
    incidentRegion: built.incidentRegion,
    incidentCategory: built.incidentCategory,
    report: built.report,
  };
}

/** Share of incidents outside the units above which a command stops unless the user accepts the loss. */
export const MAX_OUTSIDE_SHARE = 0.05;

/**
 * What building the dataset left out, as one line for the user (undefined when nothing was), and a UserError
 * when more than MAX_OUTSIDE_SHARE of the incidents fall outside the spatial units (a grid that does not cover the
 * city, a boundary file for another area) unless `acceptOutside`.
 */
export function checkDropped(report: TensorBuildReport, units: string, acceptOutside = false): string | undefined {
  if (report.dropped === 0) return undefined;
  const pct = (n: number) => `${((100 * n) / report.total).toFixed(1)}%`;
  const parts = [
    report.outsideUnits ? `${report.outsideUnits} (${pct(report.outsideUnits)}) outside the units ${units}` : '',
    report.outsidePeriods ? `${report.outsidePeriods} outside the periods` : '',
    report.otherCategory ? `${report.otherCategory} in categories not forecast` : '',
  ].filter(Boolean);
  const line = `${report.dropped} of ${report.total} incidents not counted: ${parts.join(', ')}`;
  if (!acceptOutside && report.outsideUnits / report.total > MAX_OUTSIDE_SHARE) {
    throw new UserError(`${line} — more than ${100 * MAX_OUTSIDE_SHARE}% of the incidents lie outside the spatial units`,
      'choose units that cover the data (e.g. grid:500 fits the incidents; stshn needs rows=,cols= for a city other than Chicago), or pass --accept-outside to go on without them');
  }
  return line;
}
