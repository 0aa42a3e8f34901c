#!/usr/bin/env node
// Measures every listed model on the ST-HSL protocol (Chicago 2016–17, 3 km grid, daily, 92 test days) beside the
// long-run baseline and writes data/model-standings.json, which `crimecast models` prints next to each model.
// The file is only ever written by this script, from the backtest's own JSON.
//   node bench/standings.mjs [--refit-every 14] [--models a,b,c]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
const REFERENCE = 'historical-average';
const DEFAULT_MODELS = [
  REFERENCE, 'moving-average:window=30', 'persistence', 'seasonal-naive', 'kde', 'prospective', 'prospective-kde', 'etas-grid', 'sepp',
  'poisson-glm', 'negbin-glm', 'panel-fe', 'decision-tree', 'random-forest', 'gbm', 'svm-linear', 'knn', 'naive-bayes', 'tan',
  'arima', 'ets', 'stl', 'ingarch',
];
const models = (arg('--models', '') || DEFAULT_MODELS.join(',')).split(',').filter(Boolean);
if (!models.includes(REFERENCE)) models.unshift(REFERENCE);
const refit = arg('--refit-every', '14');
const HEADLINE = ['MAE/all', 'logScore/all', 'PAI@1%/all'];

const out = join(mkdtempSync(join(tmpdir(), 'standings-')), 'st-hsl.json');
const cmdArgs = ['bin/crimecast.js', 'backtest', '--protocol', 'st-hsl', '--refit-every', refit, '--bootstrap', '1000', '--reference', REFERENCE,
  ...models.flatMap((m) => ['--model', m]), '--out', out];
console.log(`running: crimecast ${cmdArgs.slice(1).join(' ')}`);
const t0 = Date.now();
const r = spawnSync(process.execPath, cmdArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) process.exit(r.status ?? 1);
const res = JSON.parse(readFileSync(out, 'utf8'));
const ref = res.models.find((m) => m.spec === REFERENCE);
const standings = {
  generatedAt: new Date().toISOString(),
  command: `crimecast ${cmdArgs.slice(1, -2).join(' ')}`,
  protocol: res.protocol,
  description: `${res.protocol}: ${res.description}; refit every ${refit} days`,
  reference: REFERENCE,
  models: {},
};
for (const m of res.models) {
  const name = m.spec.split(':')[0];
  const metrics = {};
  for (const k of HEADLINE) {
    const x = m.metrics[k], base = ref.metrics[k];
    if (!x || !base) continue;
    const v = x.vsReference;
    const sig = v && Number.isFinite(v.lo) && (v.lo > 0 || v.hi < 0);
    const better = v && (x.better === 'lower' ? v.hi < 0 : v.lo > 0);
    metrics[k] = { value: x.value, reference: base.value, relative: x.value / base.value - 1, verdict: !v ? 'tie' : sig ? (better ? 'better' : 'worse') : 'tie' };
  }
  standings.models[name] = { spec: m.spec, metrics, warnings: m.warnings };
}
writeFileSync(join(root, 'data/model-standings.json'), JSON.stringify(standings, null, 1) + '\n');
console.log(`\nwrote data/model-standings.json (${Object.keys(standings.models).length} models, ${((Date.now() - t0) / 60000).toFixed(1)} min)`);
for (const [name, s] of Object.entries(standings.models)) {
  console.log(`${name.padEnd(18)} ${Object.entries(s.metrics).map(([k, x]) => `${k} ${x.value.toFixed(4)} (${(100 * x.relative).toFixed(1)}%, ${x.verdict})`).join('  ')}`);
}
