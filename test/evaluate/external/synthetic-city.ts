/** A small synthetic city for the external-forecast tests: a rows × cols grid of named square polygons and daily counts. */
import { polygonUnits } from '../../../src/space/polygons.js';
import type { FeatureCollection } from '../../../src/space/geojson.js';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { binningFromStart } from '../../../src/time/bins.js';
import type { ExternalContext, MissingPolicy } from '../../../src/evaluate/external/types.js';

export const LAT0 = 52.5, LON0 = 13.3, DLAT = 0.005, DLON = 0.0075;

export function cellRing(row: number, col: number, shrink = 0): [number, number][] {
  const a = LON0 + (col + shrink) * DLON, b = LON0 + (col + 1 - shrink) * DLON, c = LAT0 + (row + shrink) * DLAT, d = LAT0 + (row + 1 - shrink) * DLAT;
  return [[a, c], [b, c], [b, d], [a, d], [a, c]];
}

export function cityGeoJSON(rows: number, cols: number): FeatureCollection {
  const features = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    features.push({ type: 'Feature' as const, properties: { cell_id: `c${r}${c}`, name: `Block ${r}-${c}` }, geometry: { type: 'Polygon' as const, coordinates: [cellRing(r, c)] } });
  }
  return { type: 'FeatureCollection', features };
}

/** 3 × 3 city, 2 categories, 10 days from 2021-06-01 (Europe/Berlin), test = the last 4; counts (p + r + c) % 3. */
export function smallCity(missing: MissingPolicy = 'refuse'): ExternalContext {
  const units = polygonUnits(cityGeoJSON(3, 3), { idProperty: 'cell_id' });
  const P = 10, R = 9, C = 2;
  const bins = binningFromStart('day', 'Europe/Berlin', '2021-06-01', P);
  const data = new Float32Array(P * R * C);
  for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) data[(p * R + r) * C + c] = (p + r + c) % 3;
  const tensor = createTensor({
    periods: P, regions: R, categories: C, categoryNames: ['burglary', 'theft'], regionIds: units.ids,
    periodStart: Float64Array.from(bins.periodStart), unit: 'day', tz: 'Europe/Berlin',
  }, data);
  return { tensor, units, testStart: 6, testEnd: 10, missing };
}

/** A complete long CSV for smallCity's test span: value = 1 + r / 10, keyed by unit id. */
export function fullCsv(opts: { key?: 'unit' | 'name' | 'point' } = {}): string[] {
  const key = opts.key ?? 'unit';
  const head = key === 'point' ? 'lat,lon' : key;
  const lines = [`${head},period,category,value`];
  for (let d = 7; d <= 10; d++) for (let r = 0; r < 9; r++) for (const cat of ['burglary', 'theft']) {
    const row = Math.floor(r / 3), col = r % 3;
    const k = key === 'unit' ? `c${row}${col}` : key === 'name' ? `Block ${row}-${col}` : `${LAT0 + (row + 0.5) * DLAT},${LON0 + (col + 0.5) * DLON}`;
    lines.push(`${k},2021-06-${String(d).padStart(2, '0')},${cat},${1 + r / 10}`);
  }
  return lines;
}
