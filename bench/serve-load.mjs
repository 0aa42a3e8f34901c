#!/usr/bin/env node
// Load on the forecast endpoint of `crimecast serve` over loopback, with autocannon: requests/s and latency
// percentiles for GET /api/forecasts/latest (API-key auth, the GeoJSON of a published forecast of the bundled
// Chicago sample, Sep–Dec 2017, on a 1 km grid). Reference: a bare node:http server in the same kind of process
// returning the same bytes with no framework, auth or routing — the floor the API's overhead is measured against.
// Medians of 3 interleaved runs of 8 s each, 32 connections; the load generator shares the machine's cores. Build first: npm run build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'crimecast.js');
const RUNS = 3, DURATION = 8, CONNECTIONS = 32, UNITS = process.env.SERVE_BENCH_UNITS ?? 'grid:1000';
const dir = mkdtempSync(join(tmpdir(), 'cc-serve-bench-'));
const store = join(dir, 'store.duckdb');
const children = [];

function startChild(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) resolve({ url: m[1], child });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(url, headers) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx responses, ${r.errors} errors`);
  return r;
}

function summary(runs) {
  return {
    rps: median(runs.map((r) => r.requests.average)),
    p50: median(runs.map((r) => r.latency.p50)), p99: median(runs.map((r) => r.latency.p99)),
    mbps: median(runs.map((r) => r.throughput.average)) / 1e6,
  };
}

try {
  const ing = spawnSync(process.execPath, [CLI, 'ingest', join(ROOT, 'data/sample/chicago_2017_09_12.csv'), '--preset', 'stshn-chicago', '--dataset', 'chicago', '--store', store, '--json'], { encoding: 'utf8' });
  if (ing.status !== 0) throw new Error(ing.stderr);
  const password = 'bench-admin-passphrase';
  const api = await startChild([CLI, 'serve', '--port', '0', '--store', store, '--rate-limit', '0', '--no-web'], { CRIMECAST_ADMIN_PASSWORD: password });
  const login = await fetch(`${api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password }) });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const post = (path, body) => fetch(api.url + path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => { if (!r.ok) throw new Error(`${path}: ${await r.text()}`); return r.json(); });
  const { key } = await post('/api/users/admin/keys', { label: 'bench' });
  const pub = await post('/api/forecasts', { dataset: 'chicago', model: 'moving-average:window=28', units: UNITS, horizon: 7 });
  const body = await (await fetch(`${api.url}/api/forecasts/latest`, { headers: { authorization: `Bearer ${key}` } })).text();
  const file = join(dir, 'forecast.geojson');
  writeFileSync(file, body);
  const bare = await startChild(['-e', `
    const body = require('fs').readFileSync(${JSON.stringify(file)});
    const s = require('http').createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }); res.end(body); });
    s.listen(0, '127.0.0.1', () => console.error('http://127.0.0.1:' + s.address().port));`]);

  console.log(`forecast ${pub.id}: ${pub.summary.regions} regions (${UNITS}), GeoJSON ${(body.length / 1024).toFixed(0)} KiB; ${CONNECTIONS} connections, ${RUNS} × ${DURATION} s, medians`);
  // interleaved, so drift in the machine's load hits both alike
  const a = [], b = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await once(`${api.url}/api/forecasts/latest`, { authorization: `Bearer ${key}` }));
    b.push(await once(`${bare.url}/`, {}));
  }
  const ours = summary(a), ref = summary(b);
  const row = (name, r) => `${name.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.mbps.toFixed(0).padStart(7)}`;
  console.log(`${'server'.padEnd(44)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'MB/s'.padStart(7)}`);
  console.log(row('crimecast serve GET /api/forecasts/latest', ours));
  console.log(row('reference: bare node:http, same bytes', ref));
  console.log(`ratio crimecast / reference: req/s ${(ours.rps / ref.rps).toFixed(2)}, p99 ${(ours.p99 / ref.p99).toFixed(2)}`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
