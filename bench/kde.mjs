#!/usr/bin/env node
// KDE on the full Chicago 2016–17 incidents (ST-SHN extract) at 100 m and 250 m grids: CrimeCast's binned
// KDE (medians of 3) and, when /usr/bin/python3 has scikit-learn, sklearn's KernelDensity as the reference
// for time (KD-tree, rtol 1e-4; timed on 2000 cells and scaled to the grid) and accuracy (exact sums at sampled cells).
// Build first: npx tsc -p .   Run: node bench/kde.mjs
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kdeGridDetailed } from '../dist/models/kernel/grid-kde.js';
import { lcvBandwidth, ruleOfThumbBandwidth } from '../dist/models/kernel/bandwidth.js';
import { localProjection } from '../dist/space/projection.js';

const FILE = new URL('../../shared/data/stshn-chicago-2016-2017/raw/CHI_Crime.csv', import.meta.url).pathname;
if (!existsSync(FILE)) { console.log(`skipped: ${FILE} not found`); process.exit(0); }

// headerless: datetime, type, lat, lon
const lat = [], lon = [];
for (const line of readFileSync(FILE, 'utf8').split('\n')) {
  const f = line.split(',');
  if (f.length < 4) continue;
  const a = Number(f[2]), o = Number(f[3]);
  if (a > 41.6 && a < 42.1 && o > -88 && o < -87.5) { lat.push(a); lon.push(o); }
}
const proj = localProjection(41.84, -87.68);
const { x, y } = proj.forward(Float64Array.from(lat), Float64Array.from(lon));
const n = x.length;
let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
for (let i = 0; i < n; i++) { x0 = Math.min(x0, x[i]); x1 = Math.max(x1, x[i]); y0 = Math.min(y0, y[i]); y1 = Math.max(y1, y[i]); }
console.log(`${n} incidents, extent ${((x1 - x0) / 1000).toFixed(1)} × ${((y1 - y0) / 1000).toFixed(1)} km`);

const median3 = (f) => {
  const t = [];
  let out;
  for (let k = 0; k < 3; k++) { const s = performance.now(); out = f(); t.push(performance.now() - s); }
  t.sort((a, b) => a - b);
  return { ms: t[1], out };
};

const rows = [];
const reference = [];
for (const cell of [100, 250]) {
  const grid = { x0, y0, cell, nx: Math.ceil((x1 - x0) / cell), ny: Math.ceil((y1 - y0) / cell) };
  const runs = [
    ['gaussian', 300, 'auto'],
    ['quartic', 800, 'direct'],
    ['quartic', 800, 'fft'],
    ['quartic', 800, 'auto'],
    ['epanechnikov', 800, 'auto'],
    // a wide kernel, where the FFT should win over the direct stencil
    ['quartic', 2500, 'direct'],
    ['quartic', 2500, 'fft'],
    ['quartic', 2500, 'auto'],
  ];
  for (const [kernel, h, method] of runs) {
    const r = median3(() => kdeGridDetailed({ x, y }, grid, { kernel, bandwidth: h, method }));
    rows.push({ cell, cells: grid.nx * grid.ny, kernel, bandwidth: h, method: `${method}→${r.out.method}`, ms: Math.round(r.ms) });
    if (kernel === 'gaussian') reference.push({ cell, grid, density: r.out.density });
  }
}
console.table(rows);

let s = performance.now();
const scott = ruleOfThumbBandwidth({ x, y }, 'scott');
const tScott = performance.now() - s;
s = performance.now();
const lcv = lcvBandwidth({ x, y });
const tLcv = performance.now() - s;
console.log(`bandwidth: Scott ${scott.toFixed(0)} m (${tScott.toFixed(0)} ms), LCV ${lcv.toFixed(0)} m (${(tLcv / 1000).toFixed(1)} s)`);

const py = spawnSync('/usr/bin/python3', ['-c', 'import sklearn, numpy'], { encoding: 'utf8' });
if (py.status !== 0) { console.log('reference skipped: /usr/bin/python3 lacks scikit-learn'); process.exit(0); }
const dir = mkdtempSync(join(tmpdir(), 'kde-bench-'));
writeFileSync(join(dir, 'x.f64'), Buffer.from(x.buffer));
writeFileSync(join(dir, 'y.f64'), Buffer.from(y.buffer));
for (const r of reference) {
  writeFileSync(join(dir, `ours${r.cell}.f64`), Buffer.from(r.density.buffer));
  writeFileSync(join(dir, `grid${r.cell}.json`), JSON.stringify(r.grid));
}
const script = `
import json, sys, time, numpy as np
from sklearn.neighbors import KernelDensity
d = sys.argv[1]; h = 300.0
x = np.fromfile(d + '/x.f64'); y = np.fromfile(d + '/y.f64'); X = np.c_[x, y]; n = len(x)
rng = np.random.default_rng(1)
for cell in (100, 250):
    g = json.load(open(f'{d}/grid{cell}.json')); ours = np.fromfile(f'{d}/ours{cell}.f64')
    ix, iy = np.meshgrid(np.arange(g['nx']), np.arange(g['ny']))
    C = np.c_[g['x0'] + (ix.ravel() + 0.5) * cell, g['y0'] + (iy.ravel() + 0.5) * cell]
    # accuracy: exact Gaussian sums at 2000 cells holding real density
    cand = np.flatnonzero(ours > ours.max() * 1e-3); pick = rng.choice(cand, 2000, replace=False)
    exact = np.empty(len(pick))
    for k0 in range(0, len(pick), 100):
        q = C[pick[k0:k0 + 100]]
        d2 = ((q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
        exact[k0:k0 + 100] = np.exp(-0.5 * d2 / h**2).sum(1) / (2 * np.pi * h * h)
    rel = np.abs(ours[pick] - exact) / exact
    kde = KernelDensity(kernel='gaussian', bandwidth=h, rtol=1e-4).fit(X)
    # the full grid takes tens of minutes in sklearn: time 2000 random cells (median of 3) and scale up
    sub = rng.choice(len(C), 2000, replace=False); ts = []
    for _ in range(3):
        t0 = time.perf_counter(); kde.score_samples(C[sub]); ts.append(time.perf_counter() - t0)
    dens = np.exp(kde.score_samples(C[pick])) * n
    relsk = np.abs(dens - exact) / exact
    est = np.median(ts) * len(C) / len(sub)
    print(f'{cell} m grid ({len(C)} cells): sklearn KernelDensity (KD-tree, rtol 1e-4) ~{est:.0f} s for the grid '
          f'(extrapolated from 2000 cells in {np.median(ts):.2f} s, median of 3); max rel. error vs exact sums at 2000 cells: '
          f'CrimeCast {rel.max():.1e} (median {np.median(rel):.1e}), sklearn {relsk.max():.1e}', flush=True)
`;
const ref = spawnSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8', timeout: 1_800_000 });
process.stdout.write(ref.stdout + (ref.status !== 0 ? ref.stderr : ''));
