/** Writes a ForecastProduct as GeoJSON (one feature per region) and as long CSV (period × region × category). */
import { writeFileSync } from 'node:fs';
import type { SpatialUnits } from '../space/units.js';
import { unitsToGeoJSON } from '../space/geojson.js';
import { isoLocal } from '../time/bins.js';
import { probAtLeastOne } from '../models/distribution.js';
import type { ForecastProduct } from './produce.js';

export function forecastGeoJSON(p: ForecastProduct, units: SpatialUnits): ReturnType<typeof unitsToGeoJSON> & { crimecast: Record<string, unknown> } {
  const C = p.categories.length;
  const props: Record<string, ArrayLike<number | string | null>> = {
    expected: Array.from(p.expected, (v) => +v.toFixed(4)),
    p_any: Array.from(p.pAny, (v) => +v.toFixed(4)),
    rank: p.rank,
    flagged: p.flagged,
  };
  p.categories.forEach((name, c) => {
    props[`expected_${name}`] = Array.from({ length: units.n }, (_, r) => +p.expectedByCategory[r * C + c].toFixed(4));
  });
  const fc = unitsToGeoJSON(units, props);
  return {
    ...fc,
    crimecast: {
      model: p.model,
      params: p.params,
      from: isoLocal(p.periodStart[0], p.tz),
      to: isoLocal(p.periodEnd, p.tz),
      periods: p.periodStart.length,
      unit: p.unit,
      categories: p.categories,
      coverage: p.coverage,
      flaggedRegions: p.flagged.reduce((a, b) => a + b, 0),
    },
  };
}

export function writeForecastGeoJSON(path: string, p: ForecastProduct, units: SpatialUnits): void {
  writeFileSync(path, JSON.stringify(forecastGeoJSON(p, units)));
}

export function forecastCsv(p: ForecastProduct): string {
  const { forecast: f } = p;
  const R = f.regions, C = f.categories;
  const pa = probAtLeastOne(f);
  const lines = ['period_start,region,category,expected,p_any,region_rank,flagged'];
  for (let h = 0; h < f.horizon; h++) {
    const start = isoLocal(p.periodStart[h], p.tz);
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
      const i = (h * R + r) * C + c;
      lines.push(`${start},${csvField(p.regionIds[r])},${csvField(p.categories[c])},${f.mean[i].toFixed(5)},${pa[i].toFixed(5)},${p.rank[r]},${p.flagged[r]}`);
    }
  }
  return lines.join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
