/**
 * Writes a ForecastProduct as GeoJSON (one feature per region, each carrying its period, units and centroid) and
 * as long CSV (period × region × category, with the period's end, the centroid and the user's polygon columns).
 */
import { writeFileSync } from 'node:fs';
import type { SpatialUnits } from '../space/units.js';
import type { Feature, FeatureCollection } from '../space/geojson.js';
import { isoLocal } from '../time/bins.js';
import { probAtLeastOne } from '../models/distribution.js';
import type { ForecastProduct, RegionForecast } from './produce.js';
import { csvField, FIELD_UNITS, regionTable, topPlaces, type RegionTable, type TopPlace } from './region-table.js';

/** How many top places the GeoJSON's summary and the top-places table list unless told otherwise. */
export const DEFAULT_TOP_PLACES = 10;

export function forecastGeoJSON(p: RegionForecast, units: SpatialUnits, opts: { top?: number; table?: RegionTable } = {}): FeatureCollection & { crimecast: Record<string, unknown> } {
  const table = opts.table ?? regionTable(p, units);
  const names = Object.keys(table.columns);
  const features: Feature[] = [];
  for (let r = 0; r < units.n; r++) {
    const properties: Record<string, unknown> = {};
    for (const k of names) properties[k] = table.columns[k][r];
    features.push({ type: 'Feature', id: units.ids[r], geometry: units.geometry(r), properties });
  }
  const top: TopPlace[] = topPlaces(p, units, opts.top ?? DEFAULT_TOP_PLACES, table);
  return {
    type: 'FeatureCollection',
    features,
    // a foreign member for CrimeCast's own readers; GIS tools drop it, so every feature repeats period and units
    crimecast: {
      model: p.model,
      params: p.params,
      from: table.periodStart,
      to: table.periodEnd,
      periods: p.periodStart.length,
      unit: p.unit,
      categories: p.categories,
      categoryColumns: table.categoryColumns,
      joinedColumns: table.joinedColumns,
      coverage: p.coverage,
      flaggedRegions: p.flagged.reduce((a, b) => a + b, 0),
      fields: { ...FIELD_UNITS, ...Object.fromEntries(table.categoryColumns.map((c, i) => [c, `expected incidents of "${p.categories[i]}" over the whole horizon`])) },
      topPlaces: top,
      warnings: p.warnings,
    },
  };
}

export function writeForecastGeoJSON(path: string, p: RegionForecast, units: SpatialUnits, opts: { top?: number; table?: RegionTable } = {}): void {
  writeFileSync(path, JSON.stringify(forecastGeoJSON(p, units, opts)));
}

/**
 * Long CSV: one row per period × region × category. `expected` here is for the row's ONE period (period_start to
 * period_end, not the horizon; `allocate --forecast` reads these names);
 * the region's centroid and the user's polygon columns (beat, name) sit on every row so a spreadsheet can map it.
 */
export function forecastCsv(p: ForecastProduct, units?: SpatialUnits, table?: RegionTable): string {
  const { forecast: f } = p;
  const R = f.regions, C = f.categories;
  const pa = probAtLeastOne(f);
  const t = units ? table ?? regionTable(p, units) : undefined;
  const joined = t?.joinedColumns ?? [];
  const head = ['period_start', 'period_end', 'region', ...(t ? ['centroid_lat', 'centroid_lon'] : []), ...joined, 'category', 'expected', 'p_any', 'region_rank', 'flagged'];
  const lines = [head.join(',')];
  for (let h = 0; h < f.horizon; h++) {
    const start = isoLocal(p.periodStart[h], p.tz);
    const end = isoLocal(h + 1 < f.horizon ? p.periodStart[h + 1] : p.periodEnd, p.tz);
    for (let r = 0; r < R; r++) {
      const where = [start, end, csvField(p.regionIds[r])];
      if (t) where.push(String(t.columns.centroid_lat[r]), String(t.columns.centroid_lon[r]), ...joined.map((c) => csvField(t.columns[c][r])));
      const prefix = where.join(',');
      for (let c = 0; c < C; c++) {
        const i = (h * R + r) * C + c;
        lines.push(`${prefix},${csvField(p.categories[c])},${f.mean[i].toFixed(5)},${pa[i].toFixed(5)},${p.rank[r]},${p.flagged[r]}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
