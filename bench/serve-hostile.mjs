#!/usr/bin/env node
// Hostile requests against a real `crimecast serve` (threads on, default bounds) over the bundled Chicago sample
// (Sep–Dec 2017, 53,062 incidents): issue 20's reproductions (grid:50 units, grid:250 with band:20000 neighbours,
// H3 res 10 over one day as a viewer), the heaviest map the bounds allow, a flood of concurrent heavy maps, and
// malformed/cross-site/guessing requests — while /api/health is polled every 25 ms. Prints each request's status and
// wall time, the health latency percentiles during the attack, and the server's peak RSS. Build first: npm run build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'crimecast.js');
const FLOOD = Number(process.env.HOSTILE_FLOOD ?? 16), JUNK = Number(process.env.HOSTILE_JUNK ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'cc-hostile-'));
const store = join(dir, 'store.duckdb');
let server;

function start() {
  return new Promise((resolve, reject) => {
    server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--store', store, '--rate-limit', '0', '--no-web'], { env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: 'bench-admin-passphrase' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    server.stderr.on('data', (d) => { err += d; const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(err); if (m) resolve(m[1]); });
    server.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}
const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

try {
  const ing = spawnSync(process.execPath, [CLI, 'ingest', join(ROOT, 'data/sample/chicago_2017_09_12.csv'), '--preset', 'stshn-chicago', '--dataset', 'chicago', '--store', store, '--json'], { encoding: 'utf8' });
  if (ing.status !== 0) throw new Error(ing.stderr);
  const url = await start();
  const login = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: 'bench-admin-passphrase' }) });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const admin = (path, body) => fetch(url + path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const keys = {};
  for (const [name, role] of [['ana', 'analyst'], ['vic', 'viewer']]) {
    await admin('/api/users', { name, password: 'a long bench password', role });
    keys[role] = (await admin(`/api/users/${name}/keys`, { label: 'bench' })).key;
  }

  // health poller: runs for the whole attack
  const health = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      await fetch(`${url}/api/health`).then((r) => r.arrayBuffer());
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();

  const timed = async (label, role, path, init = {}) => {
    const t0 = performance.now();
    const r = await fetch(url + path, { ...init, headers: { ...(role ? { authorization: `Bearer ${keys[role]}` } : {}), ...init.headers } });
    const bytes = (await r.arrayBuffer()).byteLength;
    return { label, status: r.status, ms: performance.now() - t0, bytes };
  };
  const rows = [];
  const day = '&from=2017-10-10&to=2017-10-10';
  for (const [label, role, path] of [
    ['repro: hotspots grid:250 band:20000', 'analyst', '/api/hotspots?dataset=chicago&units=grid:250&weights=band:20000'],
    ['repro: units grid:50', 'analyst', '/api/units?dataset=chicago&units=grid:50'],
    ['repro: viewer hotspots h3:10, one day', 'viewer', `/api/hotspots?dataset=chicago&units=h3:10${day}`],
    ['repro: viewer units h3:10', 'viewer', '/api/units?dataset=chicago&units=h3:10'],
    ['repro: viewer hotspots h3:9, one day', 'viewer', `/api/hotspots?dataset=chicago&units=h3:9${day}`],
    ['allowed: viewer hotspots grid:250 gi*', 'viewer', '/api/hotspots?dataset=chicago&units=grid:250'],
    ['allowed: analyst units h3:10', 'analyst', '/api/units?dataset=chicago&units=h3:10'],
    ['allowed: analyst moran grid:250 contiguity', 'analyst', '/api/hotspots?dataset=chicago&units=grid:250&method=moran'],
  ]) rows.push(await timed(label, role, path));

  // a flood of heavy maps at once: two run, eight wait, the rest get 503 at once
  const flood = await Promise.all(Array.from({ length: FLOOD }, (_, i) => timed(`flood ${i}`, 'analyst', `/api/hotspots?dataset=chicago&units=grid:${300 + i}&method=moran`)));
  // junk: malformed multipart, bad percent-encoding, cross-site cookie posts, guessed keys
  const junk = [];
  for (let i = 0; i < JUNK; i++) {
    const k = i % 4;
    if (k === 0) junk.push(await timed('junk multipart', 'analyst', '/api/datasets/chicago/upload', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=Z' }, body: `--Z\r\nContent-Disposition: form-data; name="file"; filename="${'.'.repeat(1 + (i % 3))}"\r\n\r\nx` }));
    else if (k === 1) junk.push(await timed('junk percent', 'viewer', `/api/hotspots?dataset=%E0%A4%A${i}`));
    else if (k === 2) junk.push(await timed('junk cross-site', null, '/api/users', { method: 'POST', headers: { cookie, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;application/json' }, body: JSON.stringify({ name: `m${i}`, password: 'long enough pass', role: 'admin' }) }));
    else junk.push(await timed('junk key', null, '/api/me', { headers: { authorization: `Bearer cck_AAAAAAAA_guess${i}` } }));
  }
  const attackPolls = health.length;
  // an analyst's large upload (ingest parses on the server's main thread): health latency while it runs
  const sample = readFileSync(join(ROOT, 'data/sample/chicago_2017_09_12.csv'), 'utf8').trim().split('\n');
  const copies = Number(process.env.HOSTILE_UPLOAD_COPIES ?? 5);
  const big = [sample[0], ...Array.from({ length: copies }, (_, c) => sample.slice(1).map((l) => l.replace(/^([^,]*)/, `$1-${c}`))).flat()].join('\n') + '\n';
  const fd = new FormData();
  fd.append('file', new File([big], 'big.csv'));
  fd.append('preset', 'stshn-chicago');
  const before = health.length;
  const upload = await timed(`upload ${(big.length / 1e6).toFixed(0)} MB`, 'analyst', '/api/datasets/big/upload', { method: 'POST', body: fd });
  const during = health.slice(before);
  polling = false;
  await poller;

  console.log(`${'request'.padEnd(44)} ${'status'.padStart(6)} ${'ms'.padStart(8)} ${'bytes'.padStart(10)}`);
  for (const r of rows) console.log(`${r.label.padEnd(44)} ${String(r.status).padStart(6)} ${r.ms.toFixed(0).padStart(8)} ${String(r.bytes).padStart(10)}`);
  const byStatus = (xs) => Object.entries(xs.reduce((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {})).map(([s, n]) => `${n}×${s}`).join(', ');
  console.log(`flood of ${FLOOD} concurrent moran maps: ${byStatus(flood)}; slowest ${Math.max(...flood.map((r) => r.ms)).toFixed(0)} ms`);
  console.log(`${JUNK} junk requests: ${byStatus(junk)}; slowest ${Math.max(...junk.map((r) => r.ms)).toFixed(0)} ms, 5xx: ${junk.filter((r) => r.status >= 500).length}`);
  const attack = health.slice(0, attackPolls);
  console.log(`/api/health during the attack: ${attack.length} polls, p50 ${pct(attack, 0.5).toFixed(1)} ms, p99 ${pct(attack, 0.99).toFixed(1)} ms, max ${Math.max(...attack).toFixed(1)} ms`);
  console.log(`${upload.label} (${copies * (sample.length - 1)} rows): ${upload.status} in ${upload.ms.toFixed(0)} ms; /api/health meanwhile: ${during.length} polls, max ${Math.max(0, ...during).toFixed(0)} ms`);
  console.log(`server peak RSS ${peakRssMb().toFixed(0)} MB`);
} finally {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
}
