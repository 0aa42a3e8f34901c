/**
 * The patrol plan as a table and as GeoJSON to download. The plan is made from a forecast that may later be evicted
 * or replaced, so when it is made each area gets what a briefing needs from that forecast (centroid, label, expected
 * incidents, the forecast's period) and the plan names the forecast's units (the viewer policy checks them).
 */
import type { FeatureCollection } from '../../space/geojson.js';
import { csvField, regionTable, type Scalar } from '../../forecast/region-table.js';
import { HttpError } from '../http-error.js';
import { baseName, type ExportFile } from './forecast-exports.js';
import type { Publication } from './forecasts.js';

export type Plan = FeatureCollection & { crimecast: Record<string, unknown> };

export const PLAN_EXPORT_FORMATS = ['csv', 'geojson'] as const;
export type PlanExportFormat = (typeof PLAN_EXPORT_FORMATS)[number];

/** The plan's CSV columns, each with its unit (also in the GeoJSON's crimecast.fields). */
export const PLAN_FIELDS: Record<string, string> = {
  region: 'region id (as in the forecast)',
  label: 'the region\'s name from the user\'s polygons with its id, else the id',
  centroid_lon: 'region centroid longitude, WGS84 degrees',
  centroid_lat: 'region centroid latitude, WGS84 degrees',
  dosage_unit_hours: 'patrol dosage given to the region, in the budget\'s units (patrol units × hours)',
  expected_incidents_forecast: 'expected incidents in the region over the forecast period (period_start to period_end), all forecast categories',
  expected_incidents_covered: 'expected incidents covered by the dosage under the plan\'s coverage model',
  area_m2: 'region area, square metres',
  period_start: 'start of the forecast period, ISO 8601 local time with offset (inclusive)',
  period_end: 'end of the forecast period, ISO 8601 local time with offset (exclusive)',
};

/** Adds to each area of a fresh plan its centroid, label, expected incidents and period, and to the plan its forecast's facts. */
export function withPlaces(plan: Plan, pub: Publication): Plan {
  const table = regionTable(pub.product, pub.units);
  const row = new Map(pub.units.ids.map((id, r) => [id, r]));
  for (const f of plan.features) {
    const r = row.get(String(f.properties?.id ?? f.id));
    if (r === undefined) continue;
    Object.assign(f.properties ??= {}, {
      label: table.label[r], centroid_lat: table.columns.centroid_lat[r], centroid_lon: table.columns.centroid_lon[r],
      expected_total: table.columns.expected_total[r], period_start: table.periodStart, period_end: table.periodEnd,
    });
  }
  plan.crimecast = {
    ...plan.crimecast, dataset: pub.request.dataset, units: pub.request.units, period: pub.request.period,
    from: table.periodStart, to: table.periodEnd, fields: PLAN_FIELDS,
  };
  return plan;
}

/** 409 for a plan saved before plans carried their places (made before this version): it cannot say where its areas are. */
function checkPlaces(plan: Plan): void {
  if (typeof plan.crimecast.units !== 'string' || !plan.features.some((f) => f.properties && 'centroid_lat' in f.properties)) {
    throw new HttpError(409, 'this plan was made before plans carried their areas\' centroids and forecast values', 'allocate again (POST /api/allocations or the Allocation page)');
  }
}

/** The forecast units a plan was made on (for the viewer policy); 409 for a plan that does not say. */
export function planUnits(plan: Plan): string {
  checkPlaces(plan);
  return plan.crimecast.units as string;
}

/** Areas given dosage, most first (then most covered), as CSV: one row per area, units in the column names. */
export function planCsv(plan: Plan): string {
  const rows = plan.features.filter((f) => Number(f.properties?.dosage_total) > 0)
    .sort((a, b) => Number(b.properties!.dosage_total) - Number(a.properties!.dosage_total) || Number(b.properties!.covered_plan) - Number(a.properties!.covered_plan));
  const names = Object.keys(PLAN_FIELDS);
  const lines = [names.join(',')];
  for (const f of rows) {
    const p = f.properties!;
    const v: Record<string, unknown> = {
      region: p.id ?? f.id, label: p.label, centroid_lon: p.centroid_lon, centroid_lat: p.centroid_lat, dosage_unit_hours: p.dosage_total,
      expected_incidents_forecast: p.expected_total, expected_incidents_covered: p.covered_plan, area_m2: p.area_m2, period_start: p.period_start, period_end: p.period_end,
    };
    lines.push(names.map((k) => csvField((v[k] ?? null) as Scalar)).join(','));
  }
  return lines.join('\n') + '\n';
}

export function planExport(plan: Plan, format: PlanExportFormat): ExportFile {
  checkPlaces(plan);
  const m = plan.crimecast;
  const base = `patrol-plan-${baseName(String(m.dataset), String(m.model), String(m.from))}`;
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return format === 'csv'
    ? { bytes: utf8(planCsv(plan)), filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8' }
    : { bytes: utf8(JSON.stringify(plan)), filename: `${base}.geojson`, contentType: 'application/geo+json' };
}
