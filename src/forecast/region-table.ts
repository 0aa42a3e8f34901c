/**
 * One row per region of a forecast, with everything a GIS tool or a spreadsheet needs to read it alone: the
 * period it covers (ISO local time with offset), the units of each number, the centroid, and the user's polygon
 * properties (beat, neighbourhood name) when the units are polygons. GeoJSON, CSV, Shapefile and KML writers
 * all start from these rows, so every format says the same thing.
 */
import type { SpatialUnits } from '../space/units.js';
import { isoLocal } from '../time/bins.js';
import type { RegionForecast } from './produce.js';

export type Scalar = string | number | boolean | null;

/** What each exported number means; written into every format (GeoJSON member, KML description, Shapefile field list). */
export const FIELD_UNITS: Record<string, string> = {
  id: 'region id',
  area_m2: 'region area, square metres',
  centroid_lat: 'region centroid latitude, WGS84 degrees',
  centroid_lon: 'region centroid longitude, WGS84 degrees',
  period_start: 'start of the forecast horizon, ISO 8601 local time with offset (inclusive)',
  period_end: 'end of the forecast horizon, ISO 8601 local time with offset (exclusive)',
  period_unit: 'length of one forecast period (hour, day, week, month)',
  periods: 'number of periods from period_start to period_end',
  expected_total: 'expected incidents in the region over the whole horizon (period_start to period_end), all forecast categories',
  expected_per_period: 'expected incidents in the region per period (expected_total / periods)',
  expected_per_km2: 'expected incidents per km² over the whole horizon (expected_total / area)',
  expected: 'same as expected_total (kept for older readers)',
  p_any: 'probability of at least one incident in the region over the horizon',
  rank: 'rank by expected incidents per km² (1 = highest)',
  flagged: '1 = in the flagged set (highest density regions filling the coverage share of the area)',
};

export interface RegionTable {
  /** Per-region columns in output order; each array has one value per region. */
  columns: Record<string, Scalar[]>;
  /** Category column name for each forecast category (sanitised: lower case, no spaces). */
  categoryColumns: string[];
  /** Columns copied from the user's polygon properties (names sanitised), in order. */
  joinedColumns: string[];
  periodStart: string;
  periodEnd: string;
  /** A readable label per region: the polygon's name-like property, else its id. */
  label: string[];
}

/** A property name GIS tools keep: ASCII letters, digits and underscores, not starting with a digit. */
export function safeName(s: string): string {
  const t = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return t === '' ? 'x' : /^[0-9]/.test(t) ? `_${t}` : t;
}

function unique(name: string, taken: Set<string>): string {
  let n = name, k = 2;
  while (taken.has(n)) n = `${name}_${k++}`;
  taken.add(n);
  return n;
}

const LABEL_KEYS = ['name', 'label', 'title', 'neighborhood', 'neighbourhood', 'community', 'district', 'beat', 'area_name'];

function round(v: number, digits: number): number {
  return Number.isFinite(v) ? +v.toFixed(digits) : v;
}

export function regionTable(p: RegionForecast, units: SpatialUnits): RegionTable {
  const R = units.n, C = p.categories.length, H = p.periodStart.length;
  const periodStart = isoLocal(p.periodStart[0], p.tz), periodEnd = isoLocal(p.periodEnd, p.tz);
  const cols: Record<string, Scalar[]> = {};
  const taken = new Set(Object.keys(FIELD_UNITS));
  const per = (f: (r: number) => Scalar) => Array.from({ length: R }, (_, r) => f(r));
  cols.id = per((r) => units.ids[r]);
  cols.area_m2 = per((r) => round(units.area[r], 2));
  cols.centroid_lat = per((r) => round(units.centroidLat[r], 6));
  cols.centroid_lon = per((r) => round(units.centroidLon[r], 6));
  cols.period_start = per(() => periodStart);
  cols.period_end = per(() => periodEnd);
  cols.period_unit = per(() => p.unit);
  cols.periods = per(() => H);
  cols.expected_total = per((r) => round(p.expected[r], 4));
  cols.expected_per_period = per((r) => round(p.expected[r] / H, 4));
  cols.expected_per_km2 = per((r) => round(p.expected[r] / (units.area[r] / 1e6), 4));
  cols.expected = cols.expected_total;
  cols.p_any = per((r) => round(p.pAny[r], 4));
  cols.rank = per((r) => p.rank[r]);
  cols.flagged = per((r) => p.flagged[r]);
  const categoryColumns = p.categories.map((name) => unique(`expected_${safeName(name)}`, taken));
  categoryColumns.forEach((col, c) => { cols[col] = per((r) => round(p.expectedByCategory[r * C + c], 4)); });
  // the user's polygon attributes (beat, neighbourhood name): scalar ones only, names made safe, ours win a clash
  const props = (units as { properties?: Record<string, unknown>[] }).properties;
  const joinedColumns: string[] = [];
  let label = units.ids.slice();
  if (props && props.length === R) {
    const keys = [...new Set(props.flatMap((o) => Object.keys(o)))]
      .filter((k) => props.some((o) => ['string', 'number', 'boolean'].includes(typeof o[k])));
    for (const k of keys) {
      const col = unique(taken.has(safeName(k)) ? `poly_${safeName(k)}` : safeName(k), taken);
      joinedColumns.push(col);
      cols[col] = per((r) => { const v = props[r][k]; return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null; });
    }
    // the first name-like attribute by priority that is not just the id again
    const usable = (k: string) => props.every((o, r) => (typeof o[k] === 'string' || typeof o[k] === 'number') && String(o[k]) !== units.ids[r]);
    const labelKey = LABEL_KEYS.map((l) => keys.find((k) => k.toLowerCase() === l)).find((k): k is string => k !== undefined && usable(k));
    if (labelKey) label = props.map((o, r) => `${String(o[labelKey])} (${units.ids[r]})`);
  }
  return { columns: cols, categoryColumns, joinedColumns, periodStart, periodEnd, label };
}

export interface TopPlace {
  rank: number;
  id: string;
  label: string;
  centroid_lat: number;
  centroid_lon: number;
  expected_total: number;
  expected_per_period: number;
  expected_per_km2: number;
  /** Share of all expected incidents in this region. */
  share_of_expected: number;
  flagged: number;
}

/** The N highest-ranked regions (by expected density, the flagging order), for a briefing table. */
export function topPlaces(p: RegionForecast, units: SpatialUnits, n: number, table = regionTable(p, units)): TopPlace[] {
  const total = p.expected.reduce((a, b) => a + b, 0);
  const order = [...p.rank.keys()].sort((a, b) => p.rank[a] - p.rank[b]).slice(0, n);
  const H = p.periodStart.length;
  return order.map((r) => ({
    rank: p.rank[r],
    id: units.ids[r],
    label: table.label[r],
    centroid_lat: round(units.centroidLat[r], 6),
    centroid_lon: round(units.centroidLon[r], 6),
    expected_total: round(p.expected[r], 4),
    expected_per_period: round(p.expected[r] / H, 4),
    expected_per_km2: round(p.expected[r] / (units.area[r] / 1e6), 4),
    share_of_expected: total > 0 ? round(p.expected[r] / total, 4) : 0,
    flagged: p.flagged[r],
  }));
}

export function csvField(v: Scalar): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function topPlacesCsv(rows: TopPlace[], periodStart: string, periodEnd: string): string {
  const head = ['rank', 'id', 'label', 'centroid_lat', 'centroid_lon', 'expected_total', 'expected_per_period', 'expected_per_km2', 'share_of_expected', 'flagged', 'period_start', 'period_end'];
  return [head.join(','), ...rows.map((t) => [t.rank, t.id, t.label, t.centroid_lat, t.centroid_lon, t.expected_total, t.expected_per_period, t.expected_per_km2, t.share_of_expected, t.flagged, periodStart, periodEnd].map(csvField).join(','))].join('\n') + '\n';
}

/** The region table as CSV, one row per region under the same column names as the GeoJSON properties (units in FIELD_UNITS). */
/**
 * One row per region and forecast period (long format, for spreadsheets and pivot tables): the region's id, label
 * and centroid, the period's local start and end, and the expected incidents in that period over all categories.
 * `mean` is periods × regions (period-major), as a publication keeps it.
 */
export function periodsCsv(table: RegionTable, p: Pick<RegionForecast, 'periodStart' | 'periodEnd' | 'tz' | 'unit'>, mean: ArrayLike<number>): string {
  const R = table.columns.id.length, H = p.periodStart.length;
  const lines = ['id,label,centroid_lat,centroid_lon,period_start,period_end,period_unit,expected'];
  const ends = Array.from({ length: H }, (_, h) => isoLocal(h + 1 < H ? p.periodStart[h + 1] : p.periodEnd, p.tz));
  const starts = Array.from(p.periodStart, (ms) => isoLocal(ms, p.tz));
  for (let r = 0; r < R; r++) {
    const head = [table.columns.id[r], table.label[r], table.columns.centroid_lat[r], table.columns.centroid_lon[r]].map(csvField).join(',');
    for (let h = 0; h < H; h++) lines.push(`${head},${starts[h]},${ends[h]},${p.unit},${round(mean[h * R + r], 4)}`);
  }
  return lines.join('\n') + '\n';
}

/** The table as one object per region (for JSON output), without `expected`, which repeats expected_total. */
export function tableRows(table: RegionTable): Record<string, Scalar>[] {
  const names = Object.keys(table.columns).filter((c) => c !== 'expected');
  return table.columns.id.map((_, r) => Object.fromEntries(names.map((c) => [c, table.columns[c][r]])));
}

export function regionTableCsv(table: RegionTable): string {
  const names = Object.keys(table.columns).filter((c) => c !== 'expected'); // `expected` repeats expected_total
  const n = table.columns.id.length;
  const lines = [names.join(',')];
  for (let r = 0; r < n; r++) lines.push(names.map((c) => csvField(table.columns[c][r])).join(','));
  return lines.join('\n') + '\n';
}
