#!/usr/bin/env node
// Shapefile export of a forecast (what `crimecast forecast --shp` and GET /api/forecasts/{id}/export?format=shp
// write): CrimeCast's .shp/.shx path (the library's record writer, sizes counted in one pass) against the library's
// own `write`, which sizes the file by concatenating every coordinate array into one (quadratic in the regions).
// Grids over Chicago's extent at 500, 250 and 175 m; the two sides alternate run by run; the .shp and .shx bytes
// must agree. Wall seconds, median (min–max) of `runs`.
// usage: npm run build && node bench/shapefile-export.mjs [runs=3]
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const runs = Number(process.argv[2] ?? 3);
if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`runs must be a positive integer, got "${process.argv[2]}"`);
const { buildUnits } = await import(join(root, 'dist/space/build-units.js'));
const { createTensor } = await import(join(root, 'dist/tensor/count-tensor.js'));
const { produceForecast } = await import(join(root, 'dist/forecast/produce.js'));
const { forecastShapefileFiles } = await import(join(root, 'dist/forecast/export-shapefile.js'));
await import(join(root, 'dist/models/baselines/index.js'));
const shpwrite = require('@mapbox/shp-write');

const CHICAGO = { minLon: -87.94, minLat: 41.64, maxLon: -87.52, maxLat: 42.03 };
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (a) => `${median(a).toFixed(2)} (${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)})`;
function signedArea(ring) {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s / 2;
}
// the Shapefile ring order CrimeCast writes (outer clockwise), so both sides get the same rings
const rings = (g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map((rs) => rs.map((r, k) => ((k === 0) === (signedArea(r) > 0) ? r : r.slice().reverse())));
const same = (a, v) => Buffer.from(a).equals(Buffer.from(v.buffer, v.byteOffset, v.byteLength));

console.log(`Shapefile export (.shp/.shx/.dbf of a forecast), wall seconds, median (min–max) of ${runs}`);
for (const cell of [500, 250, 175]) {
  const units = buildUnits(`grid:${cell}`, undefined, { bbox: CHICAGO });
  const R = units.n, P = 14;
  const tensor = createTensor({ periods: P, regions: R, categories: 1, categoryNames: ['all'], regionIds: units.ids,
    periodStart: Float64Array.from({ length: P }, (_, p) => Date.UTC(2024, 1, 1, 6) + p * 86_400_000), unit: 'day', tz: 'America/Chicago' });
  for (let i = 0; i < tensor.data.length; i++) tensor.data[i] = (i * 7919) % 5 === 0 ? 1 : 0;
  const product = await produceForecast({ tensor, units }, 'historical-average', 7);
  const ours = [], lib = [];
  let agree = true;
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const mine = forecastShapefileFiles('bench', product, units);
    ours.push((performance.now() - t) / 1000);
    t = performance.now();
    const geoms = Array.from({ length: R }, (_, k) => rings(units.geometry(k)));
    let files;
    shpwrite.write(Array.from({ length: R }, (_, k) => ({ id: units.ids[k] })), 'POLYGON', geoms, (_e, f) => { files = f; });
    lib.push((performance.now() - t) / 1000);
    agree &&= same(mine.files[0].bytes, files.shp) && same(mine.files[1].bytes, files.shx);
  }
  console.log(`  grid:${cell} (${R} cells): crimecast ${fmt(ours)} s (with the .dbf)  library write ${fmt(lib)} s  .shp/.shx bytes ${agree ? 'identical' : 'DIFFER'}`);
  if (!agree) process.exitCode = 1;
}
