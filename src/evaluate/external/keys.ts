/**
 * Resolving an external file's keys to the run's axes: a unit by its id, by its polygon name (the `name`
 * property of the unit set's polygons) or by a point inside it (the cell's centre); a period by its start as a
 * local date or date-time in the run's time zone (or an instant with an explicit offset); a category by name.
 */
import type { SpatialUnits } from '../../space/units.js';
import type { CountTensor } from '../../tensor/count-tensor.js';
import { localToUtc } from '../../time/zone.js';
import { periodLabel } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';

export type UnitKey = { by: 'id'; column: number } | { by: 'name'; column: number } | { by: 'point'; lat: number; lon: number };

const UNIT_ID = /^(unit|unit_?id|region|region_?id|cell|cell_?id|id)$/i;
const UNIT_NAME = /^(name|polygon|polygon_?name|area_?name|unit_?name)$/i;
const LAT = /^(lat|latitude|centre_?lat|center_?lat)$/i;
const LON = /^(lon|lng|longitude|centre_?lon|center_?lon)$/i;

export function findUnitKey(header: string[], file: string): UnitKey {
  const at = (re: RegExp) => header.findIndex((h) => re.test(h));
  const id = at(UNIT_ID), name = at(UNIT_NAME), lat = at(LAT), lon = at(LON);
  if (id >= 0) return { by: 'id', column: id };
  if (name >= 0) return { by: 'name', column: name };
  if (lat >= 0 && lon >= 0) return { by: 'point', lat, lon };
  throw new UserError(`${file}: no unit column (header: ${header.join(', ')})`, 'name the unit by a column "unit" (the run\'s unit id), "name" (polygon name) or "lat" + "lon" (a point inside the unit, e.g. its centre)');
}

/** Unit index lookups for the chosen key; `resolve` returns -1 for an unknown key. */
export function unitResolver(key: UnitKey, tensor: CountTensor, units: SpatialUnits | undefined, file: string): (fields: string[]) => number {
  if (key.by === 'id') {
    const index = new Map(tensor.regionIds.map((id, i) => [id, i]));
    return (f) => index.get(f[key.column].trim()) ?? -1;
  }
  if (key.by === 'name') {
    const props = (units as { properties?: Record<string, unknown>[] } | undefined)?.properties;
    const index = new Map<string, number>();
    const ambiguous = new Set<string>();
    const add = (name: unknown, i: number) => {
      if (name === undefined || name === null) return;
      const k = String(name).trim().toLowerCase();
      if (index.has(k) && index.get(k) !== i) ambiguous.add(k);
      else index.set(k, i);
    };
    if (props) props.forEach((p, i) => { for (const [k, v] of Object.entries(p)) if (/^name$/i.test(k)) add(v, i); });
    tensor.regionIds.forEach((id, i) => { if (!index.has(id.toLowerCase())) add(id, i); });
    return (f) => {
      const k = f[key.column].trim().toLowerCase();
      if (ambiguous.has(k)) throw new UserError(`${file}: polygon name "${f[key.column]}" names several units`, 'key the rows by unit id instead (column "unit")');
      return index.get(k) ?? -1;
    };
  }
  if (!units) throw new UserError(`${file}: rows are keyed by a point but this run has no unit geometry`, 'key the rows by unit id (column "unit")');
  return (f) => {
    const lat = Number(f[key.lat]), lon = Number(f[key.lon]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return -1;
    return units.assign(Float64Array.of(lat), Float64Array.of(lon))[0];
  };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** UTC ms of a period start written as a local date / date-time in `tz`, or an ISO instant with Z / offset; NaN when unreadable. */
export function parsePeriodStart(text: string, tz: string): number {
  const s = text.trim();
  const m = DATE_TIME.exec(s);
  if (m) {
    const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((k) => (m[k] === undefined ? 0 : Number(m[k])));
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return NaN;
    return localToUtc(y, mo, d, h, mi, se, 0, tz);
  }
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) return Date.parse(s);
  return NaN;
}

/** Period lookup: test-period offset, or an error message for starts outside the window or between period starts. */
export function periodResolver(tensor: CountTensor, testStart: number, testEnd: number) {
  const index = new Map<number, number>();
  for (let p = 0; p < tensor.periods; p++) index.set(tensor.periodStart[p], p);
  const first = periodLabel(tensor.periodStart[testStart], tensor.unit, tensor.tz);
  const last = periodLabel(tensor.periodStart[testEnd - 1], tensor.unit, tensor.tz);
  const window = `${first} .. ${last} (${testEnd - testStart} ${tensor.unit} periods, ${tensor.tz})`;
  return {
    window,
    resolve(text: string): { p: number } | { error: string; fix: string } {
      const t = parsePeriodStart(text, tensor.tz);
      if (Number.isNaN(t)) return { error: `period "${text}" is not a date`, fix: `write period starts as YYYY-MM-DD or YYYY-MM-DDTHH:MM in ${tensor.tz}` };
      const p = index.get(t);
      if (p !== undefined && p >= testStart && p < testEnd) return { p: p - testStart };
      const inside = t >= tensor.periodStart[testStart] && t <= tensor.periodStart[testEnd - 1];
      if (inside) return { error: `period "${text}" is not the start of a ${tensor.unit} period`, fix: `give the start of each ${tensor.unit} in ${tensor.tz}, e.g. ${first}` };
      return { error: `period "${text}" is outside the test window ${window}`, fix: 'drop rows outside the test window or run the backtest over the periods the file forecasts' };
    },
  };
}

/** Category lookup by name (exact, then case-insensitive); -1 when unknown. */
export function categoryResolver(tensor: CountTensor): (name: string) => number {
  const exact = new Map(tensor.categoryNames.map((c, i) => [c, i]));
  const lower = new Map(tensor.categoryNames.map((c, i) => [c.toLowerCase(), i]));
  return (name) => exact.get(name.trim()) ?? lower.get(name.trim().toLowerCase()) ?? -1;
}
