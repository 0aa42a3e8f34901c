/**
 * Incidents → count tensor in one pass over the typed columns. Nothing is dropped silently: incidents
 * outside the unit set, outside the periods, or of a category not forecast are counted in the report.
 */
import type { IncidentTable } from '../data/incident-table.js';
import type { Binning } from '../time/bins.js';
import type { SpatialUnits } from '../space/units.js';
import { UserError } from '../util/errors.js';
import { createTensor, type CountTensor } from './count-tensor.js';

export interface TensorBuildReport {
  total: number;
  counted: number;
  /** Incidents not counted for each reason (one incident may fail several, so these can sum above `dropped`). */
  outsideUnits: number;
  outsidePeriods: number;
  otherCategory: number;
  dropped: number;
}

export interface TensorBuild {
  tensor: CountTensor;
  report: TensorBuildReport;
  /** Region index of each incident (-1 outside every unit); reusable as History.incidentRegion. */
  incidentRegion: Int32Array;
  /** Period index of each incident (-1 outside the binning). */
  incidentPeriod: Int32Array;
  /** Index of each incident's category on the tensor's category axis (-1 when not forecast); History.incidentCategory. */
  incidentCategory: Int32Array;
}

export interface BuildOptions {
  /** Category names to count, in tensor order; default: all of the table's, in its order. */
  categories?: string[];
}

/** Map a table's category codes onto a chosen category axis (-1 = not selected). Unknown names are a user error. */
export function categoryMap(tableCategories: string[], chosen?: string[]): { names: string[]; map: Int32Array } {
  const names = chosen ?? tableCategories;
  const map = new Int32Array(tableCategories.length).fill(-1);
  const pos = new Map(tableCategories.map((c, i) => [c, i]));
  const seen = new Set<string>();
  names.forEach((name, j) => {
    if (seen.has(name)) throw new UserError(`category "${name}" is listed twice`);
    seen.add(name);
    const k = pos.get(name);
    if (k === undefined) {
      const known = tableCategories.slice(0, 20).join(', ') + (tableCategories.length > 20 ? ', …' : '');
      throw new UserError(`unknown category "${name}"`, `categories in the data: ${known}`);
    }
    map[k] = j;
  });
  return { names: [...names], map };
}

export function buildCountTensor(incidents: IncidentTable, units: SpatialUnits, binning: Binning, opts: BuildOptions = {}): TensorBuild {
  const { names, map } = categoryMap(incidents.categories, opts.categories);
  const R = units.n, C = names.length;
  const tensor = createTensor({
    periods: binning.periods,
    regions: R,
    categories: C,
    categoryNames: names,
    regionIds: [...units.ids],
    periodStart: Float64Array.from(binning.periodStart),
    unit: binning.unit,
    tz: binning.tz,
  });
  const region = units.assign(incidents.lat, incidents.lon);
  const period = binning.index(incidents.t);
  const category = new Int32Array(incidents.n);
  const data = tensor.data;
  let outsideUnits = 0, outsidePeriods = 0, otherCategory = 0, counted = 0;
  for (let i = 0; i < incidents.n; i++) {
    const r = region[i], p = period[i], c = (category[i] = map[incidents.cat[i]]);
    if (r < 0) outsideUnits++;
    if (p < 0) outsidePeriods++;
    if (c < 0) otherCategory++;
    if (r < 0 || p < 0 || c < 0) continue;
    data[(p * R + r) * C + c] += 1;
    counted++;
  }
  return {
    tensor,
    report: { total: incidents.n, counted, outsideUnits, outsidePeriods, otherCategory, dropped: incidents.n - counted },
    incidentRegion: region,
    incidentPeriod: period,
    incidentCategory: category,
  };
}
