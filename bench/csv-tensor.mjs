#!/usr/bin/env node
// CSV → count tensor: CHI_Crime.csv (321,877 rows) → local days × ST-SHN 3 km grid (14 × 12) × categories, CrimeCast's
// reader (validation, DST-aware local time → UTC, content-hash ids) + buildDataset vs pandas read_csv +
// to_datetime + factorize + np.add.at, the same work: same file, same cells (row = int((lat − minLat)·111/3),
// col = int((lon − minLon)·84/3), origin from the data), same local days, categories in first-seen order.
// Each run is a fresh process on each side, alternating; "work" is the time after imports (pandas' import is
// ~0.4 s, CrimeCast's modules ~0.1 s), "wall" includes them. The tensors are checked equal before a ratio is shown.
// Needs /usr/bin/python3 with numpy and pandas (Debian python3-pandas); without pandas the reference is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordRatios } from './_interleave.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.CC_DIST ?? join(here, '..', 'dist'));
const CSV = resolve(here, '..', '..', 'shared', 'data', 'stshn-chicago-2016-2017', 'raw', 'CHI_Crime.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const PY = `
import sys, time, json
t00 = time.perf_counter()
import numpy as np, pandas as pd
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], header=None, names=['t', 'cat', 'lat', 'lon'])
day = pd.to_datetime(df['t'], format='%m/%d/%Y %I:%M:%S %p').values.astype('datetime64[D]')
di = (day - day.min()).astype(np.int64)
codes, names = pd.factorize(df['cat'])
lat = df['lat'].to_numpy(); lon = df['lon'].to_numpy()
r = ((lat - lat.min()) * 111 / 3).astype(np.int64); c = ((lon - lon.min()) * 84 / 3).astype(np.int64)
ok = (r < 14) & (c < 12)
out = np.zeros((int(di.max()) + 1, 14 * 12, len(names)), np.float32)
np.add.at(out, (di[ok], (r * 12 + c)[ok], codes[ok]), 1)
t1 = time.perf_counter()
flat = out.ravel().astype(np.float64)
w = (np.arange(flat.size) % 9973 + 1).astype(np.float64)
print(json.dumps({'work': t1 - t0, 'wall': t1 - t00, 'shape': list(out.shape), 'total': float(flat.sum()), 'check': float((flat * w).sum())}))
`;

async function child() {
  const t00 = performance.now();
  const { readIncidentFile } = await import(pathToFileURL(join(DIST, 'data/ingest/read.js')).href);
  const { buildDataset } = await import(pathToFileURL(join(DIST, 'tensor/dataset.js')).href);
  const t0 = performance.now();
  const { table } = await readIncidentFile(CSV, { preset: 'stshn-chicago' });
  const { tensor } = buildDataset(table, { units: 'stshn', period: 'day' });
  const t1 = performance.now();
  let total = 0, check = 0;
  for (let i = 0; i < tensor.data.length; i++) { total += tensor.data[i]; check += tensor.data[i] * ((i % 9973) + 1); }
  process.stdout.write(JSON.stringify({ work: (t1 - t0) / 1000, wall: (t1 - t00) / 1000, shape: [tensor.periods, tensor.regions, tensor.categories], total, check }) + '\n');
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function main() {
  if (!existsSync(CSV)) { console.log(`skipped: ${CSV} not found`); return; }
  const py = spawnSync('/usr/bin/python3', ['-c', 'import numpy, pandas'], { encoding: 'utf8' });
  if (py.status !== 0) { console.log('skipped: /usr/bin/python3 lacks numpy or pandas (apt-get install python3-pandas)'); return; }
  const res = { cc: [], py: [] };
  for (let run = 0; run < RUNS; run++) {
    const a = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8', env: { ...process.env, CC_DIST: DIST } });
    if (a.status !== 0) { console.error(a.stderr); process.exit(1); }
    res.cc.push(JSON.parse(a.stdout.trim().split('\n').pop()));
    const b = spawnSync('/usr/bin/python3', ['-c', PY, CSV], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    if (b.status !== 0) { console.error(b.stderr); process.exit(1); }
    res.py.push(JSON.parse(b.stdout.trim()));
  }
  const [a, b] = [res.cc[0], res.py[0]];
  const same = JSON.stringify(a.shape) === JSON.stringify(b.shape) && a.total === b.total && a.check === b.check;
  console.log(`CHI_Crime.csv → count tensor ${a.shape.join(' × ')} (days × ST-SHN cells × categories), ${a.total} incidents counted; median of ${RUNS} alternating runs`);
  console.log(`  tensors ${same ? 'equal' : `DIFFER: CrimeCast ${JSON.stringify(a)} vs pandas ${JSON.stringify(b)}`}`);
  const row = (name, rs) => console.log(`  ${name.padEnd(44)} work ${median(rs.map((r) => r.work)).toFixed(3)} s   wall ${median(rs.map((r) => r.wall)).toFixed(3)} s`);
  row('CrimeCast readIncidentFile + buildDataset', res.cc);
  row('pandas read_csv + to_datetime + np.add.at', res.py);
  if (!same) process.exit(1);
  const ratios = res.cc.map((r, i) => r.work / res.py[i].work).sort((x, y) => x - y);
  console.log(`  ratio CrimeCast/pandas (work): ${median(ratios).toFixed(2)}x (${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}), wall ${(median(res.cc.map((r) => r.wall)) / median(res.py.map((r) => r.wall))).toFixed(2)}x`);
  recordRatios('CSV → count tensor: CrimeCast / pandas + np.add.at', { task: 'CHI_Crime.csv → 731 × 168 × 4 tensor (work: read, parse, bin, count)', threads: '1 / 1', clock: 'work s', ours: res.cc.map((r) => r.work), theirs: res.py.map((r) => r.work), agree: same, agreement: 'tensors equal (shape, total, checksum)' });
}

if (process.argv[2] === '--child') await child();
else main();
