#!/usr/bin/env node
// KDE hot-spot backtest at 250 m beside the same work in scipy, alternating run by run (bench/_interleave.mjs).
// Work of one run: the bundled sample (Chicago Sep–Dec 2017, 4 categories, daily, 250 m grid), the last `days`
// days as origins, a refit at every origin (the daily-refit backtest), per category per fit: the incidents of the
// look-back window, linearly binned onto the region raster (83.3 m, the one `kde` uses for 250 m cells at h = 400),
// each event's weight divided by its kernel's mass inside the study area (Jones' event edge correction), a Gaussian
// convolution (σ = h, truncated at the same radius), cropped, masked and summed per region (the surfaces: kde's fit),
// then each category's shares × its mean count over the last 56 days (kde's predict).
// - CrimeCast: `kde:kernel=gaussian,bandwidth=400` fit + predict on the engine's history views.
// - Reference: numpy binning (np.bincount of the 4 bilinear corners) + scipy.ndimage.gaussian_filter (mode
//   'constant', truncate = radius/σ, so the same normalised 1-D weights), the edge-correction surface filtered once
//   (CrimeCast caches it too), coordinates projected once at load with the same projection (a scipy user projects
//   once). Both sides run one thread; CPU seconds, robust to the shared machine's load.
// Agreement: per-region masses of every category at the last origin, max relative difference over regions holding
// ≥ 1e-6 of the total.
// `node bench/kde.mjs methods` also times the grid KDE methods (separable / direct / FFT) on the full ST-SHN extract.
// Build first: npx tsc -p .   Run: nice -n 10 node bench/kde.mjs [runs=5] [--days 28] [methods]
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../dist/models/all.js';
import { createForecaster } from '../dist/models/registry.js';
import { readIncidentFile } from '../dist/data/ingest/read.js';
import { buildDataset } from '../dist/tensor/dataset.js';
import { HistoryViews } from '../dist/evaluate/backtest/history-views.js';
import { regionRaster, unitsProjection } from '../dist/models/kernel/region-raster.js';
import { stencilRadius } from '../dist/models/kernel/convolve.js';
import { printRatioTable, pythonHas, startPython } from './_interleave.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && !String(args[i - 1]).startsWith('--')) ?? 5);
const days = Number(opt('days', 28));
const H = 400, SPEC = `kde:kernel=gaussian,bandwidth=${H}`;

const SAMPLE = new URL('../data/sample/chicago_2017_09_12.csv', import.meta.url).pathname;
const { table } = await readIncidentFile(SAMPLE, { preset: 'stshn-chicago' });
const data = buildDataset(table, { units: 'grid:cell=250', period: 'day' });
const { tensor, units } = data;
const origins = Array.from({ length: days }, (_, k) => tensor.periods - days + k);

// what the reference needs: projected incidents (same projection), the raster kde uses and the stencil radius
const proj = unitsProjection(units);
const { x, y } = proj.forward(table.lat, table.lon);
const raster = regionRaster(units, Math.min(H / 4, Math.sqrt(units.area[0]) / 2));
const R = stencilRadius('gaussian', H, raster.grid.cell);
const dir = mkdtempSync(join(tmpdir(), 'crimecast-kde-'));
const cat = Int32Array.from(data.incidentCategory), reg = Int32Array.from(data.incidentRegion);
const files = { x, y, t: table.t, cat, reg, regionOf: raster.regionOf, mask: raster.mask, counts: tensor.data };
for (const [k, a] of Object.entries(files)) if (a) writeFileSync(join(dir, k), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const meta = {
  grid: raster.grid, R, h: H, C: tensor.categories, regions: tensor.regions, windowMs: 365 * 86_400_000,
  ends: origins.map((t) => tensor.periodStart[t]), origins, rateDays: 56,
  dtypes: { x: 'f8', y: 'f8', t: 'f8', cat: 'i4', reg: 'i4', regionOf: 'i4', mask: 'u1', counts: 'f4' },
};
writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
console.log(`sample: ${table.n} incidents, ${tensor.regions} cells of 250 m × ${tensor.categories} categories; raster ${raster.grid.nx} × ${raster.grid.ny} of ${raster.grid.cell.toFixed(1)} m, Gaussian h = ${H} m (radius ${R} cells); ${days} daily refits per run`);

/** One run: fit + predict at every origin; returns CPU/wall seconds and the last fit's per-category masses. */
async function oursRun() {
  const views = new HistoryViews(data);
  const t = performance.now(), c = process.cpuUsage();
  const last = createForecaster(SPEC); // one model refitted at every origin, as the backtest engine does
  let fitCpu = 0;
  for (const o of origins) {
    const h = views.at(o);
    const f = process.cpuUsage();
    await last.fit(h, { seed: 1 });
    const df = process.cpuUsage(f);
    fitCpu += (df.user + df.system) / 1e6;
    await last.predict(h, 1);
  }
  const dc = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (dc.user + dc.system) / 1e6, fitCpu, masses: last.score };
}

const py = `
import numpy as np, json, time
from scipy.ndimage import gaussian_filter
d = sys.argv[1]; m = json.load(open(d + '/meta.json'))
A = {k: np.fromfile(d + '/' + k, dtype=v) for k, v in m['dtypes'].items()}
g = m['grid']; R = m['R']; cell = g['cell']; nx, ny = g['nx'], g['ny']; pnx, pny = nx + 2 * R, ny + 2 * R
px0, py0 = g['x0'] - R * cell, g['y0'] - R * cell
sigma = m['h'] / cell; trunc = R / sigma
mask = A['mask'].astype(bool); regionOf = A['regionOf']; inreg = regionOf >= 0; C = m['C']; nreg = m['regions']
ok = (A['reg'] >= 0) & np.isfinite(A['x'])

def binned(xs, ys):
  fx = (xs - px0) / cell - 0.5; fy = (ys - py0) / cell - 0.5
  ix = np.floor(fx).astype(np.int64); iy = np.floor(fy).astype(np.int64); ax = fx - ix; ay = fy - iy
  out = np.zeros(pnx * pny)
  for dx, dy, w in ((0, 0, (1 - ax) * (1 - ay)), (1, 0, ax * (1 - ay)), (0, 1, (1 - ax) * ay), (1, 1, ax * ay)):
    jx = ix + dx; jy = iy + dy; v = (jx >= 0) & (jy >= 0) & (jx < pnx) & (jy < pny)
    out += np.bincount((jy * pnx + jx)[v], w[v], minlength=pnx * pny)
  return out.reshape(pny, pnx)

# edge-correction surface: kernel mass inside the study area around each padded cell, filtered once (cached)
pm = np.zeros((pny, pnx)); pm[R:R + ny, R:R + nx] = mask.reshape(ny, nx)
inside = gaussian_filter(pm, sigma, mode='constant', truncate=trunc)
inv = np.where(inside > 1e-9, 1 / np.where(inside > 1e-9, inside, 1), 0)

counts = A['counts'].reshape(-1, nreg, C)

def fit(end, origin):
  global surf
  c0 = time.process_time()
  masses = []
  for c in range(C):
    sel = ok & (A['cat'] == c) & (A['t'] >= end - m['windowMs']) & (A['t'] < end)
    b = binned(A['x'][sel], A['y'][sel]) * inv
    dens = gaussian_filter(b, sigma, mode='constant', truncate=trunc)[R:R + ny, R:R + nx].ravel() / (cell * cell)
    dens[~mask] = 0; np.maximum(dens, 0, out=dens)
    masses.append(np.bincount(regionOf[inreg], dens[inreg] * cell * cell, minlength=nreg))
  surf += time.process_time() - c0
  # forecast: shares of each category's surface × its mean count over the last rateDays days (as kde's predict)
  rate = np.einsum('prc->c', counts[origin - m['rateDays']:origin], dtype=np.float64) / m['rateDays']  # fastest of sum/reshape/einsum here
  mean = np.stack([rate[c] * (mm / mm.sum() if mm.sum() > 0 else mm) for c, mm in enumerate(masses)], axis=1).astype(np.float32)
  return masses

def run(msg):
  global surf
  surf = 0
  t, out = timed(lambda: [fit(e, o) for e, o in zip(m['ends'], m['origins'])])
  return {**t, 'surf': surf, 'masses': [x.tolist() for x in out[-1]]}

serve({'run': run})
`;

const rows = [];
const version = pythonHas(['scipy', 'numpy']);
if (!version) console.log('reference skipped: /usr/bin/python3 lacks scipy/numpy');
else {
  const ref = await startPython(py, [dir], 1);
  const ours = [], theirs = [], oursFit = [], theirsFit = [];
  let worst = 0;
  for (let k = 0; k < runs; k++) {
    // alternate which side goes first, so a load change hits both alike
    const pair = k % 2 === 0 ? [await oursRun(), await ref.run('run')] : [null, await ref.run('run')];
    if (k % 2 === 1) pair[0] = await oursRun();
    const [a, b] = pair;
    ours.push(a.cpu); theirs.push(b.cpu); oursFit.push(a.fitCpu); theirsFit.push(b.surf);
    for (let c = 0; c < a.masses.length; c++) {
      const m = a.masses[c], r = b.masses[c];
      let tot = 0;
      for (const v of r) tot += v;
      for (let i = 0; i < m.length; i++) if (r[i] >= 1e-6 * tot) worst = Math.max(worst, Math.abs(m[i] - r[i]) / r[i]);
    }
    console.log(`run ${k + 1}: CrimeCast ${a.cpu.toFixed(2)} s CPU (${a.wall.toFixed(2)} wall), scipy ${b.cpu.toFixed(2)} s CPU (${b.wall.toFixed(2)} wall), ratio ${(a.cpu / b.cpu).toFixed(2)}`);
  }
  ref.close();
  const agree = worst < 1e-6;
  const agreement = `region masses max rel. diff ${worst.toExponential(1)} (tol 1e-6), scipy ${version}`;
  rows.push({
    task: `kde backtest, 250 m sample, ${days} daily refits × ${tensor.categories} categories (Gaussian h ${H} m, event edge correction): fit + predict`,
    threads: '1 / 1', clock: 'CPU s', ours, theirs, agree, agreement, target: 1.5,
  });
  rows.push({ task: 'the same, surfaces only (fit)', threads: '1 / 1', clock: 'CPU s', ours: oursFit, theirs: theirsFit, agree, agreement, target: 1.5 });
  printRatioTable('KDE: CrimeCast / scipy (binning + gaussian_filter), per pair of alternating runs', rows);
}
rmSync(dir, { recursive: true, force: true });

if (args.includes('methods')) await methodsTable();

/** Grid KDE methods on the full ST-SHN extract (no reference): where the FFT beats the direct stencil. */
async function methodsTable() {
  const { kdeGridDetailed } = await import('../dist/models/kernel/grid-kde.js');
  const { localProjection } = await import('../dist/space/projection.js');
  const { readFileSync } = await import('node:fs');
  const FILE = new URL('../../shared/data/stshn-chicago-2016-2017/raw/CHI_Crime.csv', import.meta.url).pathname;
  if (!existsSync(FILE)) { console.log(`methods skipped: ${FILE} not found`); return; }
  const lat = [], lon = [];
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    const f = line.split(',');
    if (f.length < 4) continue;
    const a = Number(f[2]), o = Number(f[3]);
    if (a > 41.6 && a < 42.1 && o > -88 && o < -87.5) { lat.push(a); lon.push(o); }
  }
  const p = localProjection(41.84, -87.68).forward(Float64Array.from(lat), Float64Array.from(lon));
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < p.x.length; i++) { x0 = Math.min(x0, p.x[i]); x1 = Math.max(x1, p.x[i]); y0 = Math.min(y0, p.y[i]); y1 = Math.max(y1, p.y[i]); }
  const out = [];
  for (const cell of [100, 250]) {
    const grid = { x0, y0, cell, nx: Math.ceil((x1 - x0) / cell), ny: Math.ceil((y1 - y0) / cell) };
    for (const [kernel, h, method] of [['gaussian', 300, 'auto'], ['quartic', 800, 'direct'], ['quartic', 800, 'fft'], ['quartic', 2500, 'direct'], ['quartic', 2500, 'fft']]) {
      const t = [];
      let r;
      for (let k = 0; k < 3; k++) { const s = performance.now(); r = kdeGridDetailed(p, grid, { kernel, bandwidth: h, method }); t.push(performance.now() - s); }
      out.push({ cell, cells: grid.nx * grid.ny, kernel, bandwidth: h, method: `${method}→${r.method}`, ms: Math.round(t.sort((a, b) => a - b)[1]) });
    }
  }
  console.table(out);
}
