#!/usr/bin/env node
// Hot-spot statistics on Chicago 2016–17 (ST-SHN CHI_Crime.csv, all incidents) over H3 res-9 cells
// holding incidents, neighbours = gridDisk(k=1). Times Gi*, global Moran (999 permutations) and
// local Moran (999 conditional permutations); medians of 3 runs. Reference: PySAL/esda is not packaged
// in Debian (only python3-libpysal, which has no Gi*/Moran), so no external timing is compared.
// Build first: npx tsc -p .
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { latLngToCell, gridDisk } from 'h3-js';
import { emergingHotSpots, giStar, globalMoran, localMoran, weightsFromLists } from '../dist/stats/hotspot/index.js';

const CSV = fileURLToPath(new URL('../../shared/data/stshn-chicago-2016-2017/raw/CHI_Crime.csv', import.meta.url));
if (!existsSync(CSV)) {
  console.log(`skip: ${CSV} not found`);
  process.exit(0);
}
const RES = 9, RUNS = 3, PERMS = 999;

// Headerless rows: datetime (MM/DD/YYYY hh:mm:ss AM), type, lat, lon. Week = whole weeks since 2016-01-01
// on the wall-clock date (the bench needs a fixed binning, not the DST-exact one src/time provides).
const T0 = Date.UTC(2016, 0, 1), WEEK = 7 * 86400e3;
let t = performance.now();
const text = readFileSync(CSV, 'utf8');
const cellIndex = new Map();
const counts = [];
const cellOf = [], weekOf = [];
let rows = 0, bad = 0;
for (let a = 0; a < text.length; ) {
  let b = text.indexOf('\n', a);
  if (b < 0) b = text.length;
  const line = text.slice(a, b);
  a = b + 1;
  if (line.length === 0) continue;
  const c2 = line.lastIndexOf(','), c1 = line.lastIndexOf(',', c2 - 1);
  const lat = Number(line.slice(c1 + 1, c2)), lon = Number(line.slice(c2 + 1));
  rows++;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat === 0) { bad++; continue; }
  const cell = latLngToCell(lat, lon, RES);
  let i = cellIndex.get(cell);
  if (i === undefined) { i = counts.length; cellIndex.set(cell, i); counts.push(0); }
  counts[i]++;
  const d = line.slice(0, 10);
  cellOf.push(i);
  weekOf.push(Math.floor((Date.UTC(+d.slice(6, 10), +d.slice(0, 2) - 1, +d.slice(3, 5)) - T0) / WEEK));
}
const cells = [...cellIndex.keys()];
const lists = cells.map((c) => gridDisk(c, 1).map((d) => cellIndex.get(d)).filter((j) => j !== undefined));
const values = Float64Array.from(counts);
let weeks = 0;
for (const wk of weekOf) if (wk + 1 > weeks) weeks = wk + 1;
const cube = { periods: weeks, regions: values.length, values: new Float64Array(weeks * values.length) };
for (let k = 0; k < cellOf.length; k++) if (weekOf[k] >= 0) cube.values[weekOf[k] * values.length + cellOf[k]]++;
const prepMs = performance.now() - t;

const wSelf = weightsFromLists(lists, { includeSelf: true });
const wRow = weightsFromLists(lists, { style: 'row' });
let links = 0;
for (let i = 0; i < wRow.n; i++) links += wRow.offsets[i + 1] - wRow.offsets[i];

/** One cold run (JIT warm-up, reported separately), then the median of RUNS timed runs. */
function median3(fn) {
  const ms = [];
  const s0 = performance.now();
  let out = fn();
  const cold = performance.now() - s0;
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    out = fn();
    ms.push(performance.now() - s);
  }
  ms.sort((x, y) => x - y);
  return { ms: ms[Math.floor(RUNS / 2)], cold, out };
}

const gi = median3(() => giStar(values, wSelf, { fdr: true }));
const gm = median3(() => globalMoran(values, wRow, { permutations: PERMS, seed: 1 }));
const lm = median3(() => localMoran(values, wRow, { permutations: PERMS, seed: 1 }));

const em = median3(() => emergingHotSpots(cube, wSelf, { timeWindow: 1, fdr: true }));

const tally = (arr) => arr.reduce((m, v) => ((m[String(v)] = (m[String(v)] ?? 0) + 1), m), {});
console.log(`incidents ${rows} (${bad} without coordinates), H3 res ${RES}: ${values.length} cells, ${links} neighbour links, islands ${gi.out.islands.length}; parse+index ${prepMs.toFixed(0)} ms`);
console.log(`Gi* (FDR)                         median ${gi.ms.toFixed(1)} ms (cold ${gi.cold.toFixed(0)})   bins ${JSON.stringify(tally(Array.from(gi.out.bin)))}`);
console.log(`global Moran, ${PERMS} permutations   median ${gm.ms.toFixed(1)} ms (cold ${gm.cold.toFixed(0)})   I = ${gm.out.I.toFixed(4)}, z_rand = ${gm.out.randomisation.z.toFixed(1)}, p_sim = ${gm.out.permutation.pSim}`);
console.log(`local Moran, ${PERMS} permutations    median ${lm.ms.toFixed(1)} ms (cold ${lm.cold.toFixed(0)})   clusters ${JSON.stringify(tally(lm.out.cluster))}`);
console.log(`emerging, ${weeks} weeks × ${values.length} cells, FDR   median ${em.ms.toFixed(1)} ms (cold ${em.cold.toFixed(0)})   patterns ${JSON.stringify(tally(em.out.pattern))}`);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
