#!/usr/bin/env node
// Scale-out benchmark (issue 11), two parts. Needs running servers: PostgreSQL+PostGIS and Redis
// (BENCH_PG_URL / BENCH_REDIS_URL, else CRIMECAST_TEST_PG_URL / CRIMECAST_TEST_REDIS_URL from .ci/test-env).
//
// 1. Grid search: 200 small backtests (4 model families × their parameter grids, one synthetic city) as jobs on the
//    Redis queue, run by 1, 2 and 4 `crimecast worker` processes; jobs/s from submit to the last stored result,
//    median of BENCH_RUNS runs. Reference: the same 200 backtests one after another in one process with no queue
//    (what a single `crimecast backtest` with 200 --model flags does).
// 2. Ingest and aggregation of a synthetic city of BENCH_INCIDENTS incidents (default 1,000,000; the issue asks
//    for 10M — pass it if the machine has the time) into both back-ends, each step in its own process so its peak
//    RSS is its own: rows/s and peak RSS of ingest (CSV → store) and of aggregation (store → 500 m × day count
//    tensor); the two tensors are checked equal. References: DuckDB's own read_csv into an unindexed table and
//    PostgreSQL's own COPY into an unindexed table (parse only: no validation, time zones, dedup or rejects).
//    PostgreSQL's server memory is its own process and not in the figures.
// Build first: npx tsc -p .   Usage: node bench/scale.mjs [--incidents N] [--workers 1,2,4] [--jobs 200] [--skip-grid] [--skip-ingest]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'bin', 'crimecast.js');
const dist = (p) => import(join(here, '..', 'dist', p));
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const PG = process.env.BENCH_PG_URL || process.env.CRIMECAST_TEST_PG_URL;
const REDIS = process.env.BENCH_REDIS_URL || process.env.CRIMECAST_TEST_REDIS_URL;
const INCIDENTS = Number(arg('--incidents', process.env.BENCH_INCIDENTS ?? 1_000_000));
const WORKERS = arg('--workers', '1,2,4').split(',').map(Number);
const JOBS = Number(arg('--jobs', 200));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rssMB = () => process.resourceUsage().maxRSS / 1024;

// ---- the grid: 200 backtests on one synthetic city ----
const CITY = { synthetic: { incidents: 5000, days: 90, seed: 11 } };
function gridSpecs(n) {
  const specs = [];
  for (let w = 1; specs.length < n && w <= 70; w++) specs.push(`moving-average:window=${w}`);
  for (let w = 1; specs.length < n && w <= 70; w++) specs.push(`historical-average:window=${w}`);
  for (let s = 1; specs.length < n && s <= 8; s++) specs.push(`seasonal-naive:season=7,seasons=${s}`);
  for (let b = 100; specs.length < n; b += 25) specs.push(`kde:bandwidth=${b}`);
  return specs;
}
const jobParams = (spec) => ({ data: CITY, units: 'grid:2000', period: 'day', testPeriods: 14, bootstrap: 100, models: [spec] });

async function referenceGrid() {
  await dist('models/all.js');
  const { syntheticCityTable } = await dist('store/synthetic-city.js');
  const { buildDataset } = await dist('tensor/dataset.js');
  const { runRolling } = await dist('evaluate/protocols/rolling.js');
  const t0 = performance.now();
  const data = buildDataset(syntheticCityTable(CITY.synthetic), { units: 'grid:2000', period: 'day' });
  for (const spec of gridSpecs(JOBS)) {
    await runRolling(data, [spec], { testStart: data.tensor.periods - 14, bootstrap: 100, seed: 1, workers: 1 });
  }
  return { seconds: (performance.now() - t0) / 1000, maxRssMB: rssMB() };
}

function startWorker(queue, name) {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', REDIS, '--store', PG, '--queue', queue, '--name', name, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (s) => { log += s; if (log.includes('ready on queue')) resolve(child); });
    child.on('exit', (c) => reject(new Error(`worker exited (${c}): ${log}`)));
  });
}

async function gridRun(workers, run) {
  const { JobClient } = await dist('jobs/client.js');
  const queue = `bench-${workers}w-${run}-${Date.now().toString(36)}`;
  const children = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(queue, `b${i}`)));
  const client = await JobClient.connect({ redis: REDIS, store: PG, queue });
  try {
    const t0 = performance.now();
    const ids = await client.submit('backtest', gridSpecs(JOBS).map(jobParams));
    const done = await client.wait(ids, { timeoutMs: 30 * 60_000, pollMs: 100 });
    const seconds = (performance.now() - t0) / 1000;
    const failed = [...done.values()].filter((d) => d.state !== 'completed');
    if (failed.length) throw new Error(`${failed.length} jobs did not complete: ${failed[0].error}`);
    return seconds;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r)))));
    await client.queue.obliterate({ force: true });
    await client.close();
  }
}

async function grid() {
  console.log(`\n## Grid search: ${JOBS} backtests (synthetic city 5,000 incidents × 90 days, 2 km grid, 14 test days), ${availableParallelism()} cores`);
  const ref = [];
  for (let r = 0; r < RUNS; r++) ref.push(child(['reference-grid']).seconds);
  const refS = median(ref);
  console.log('                                       seconds    jobs/s   vs 1 worker   vs in-process');
  console.log(`in-process, sequential (reference)  ${refS.toFixed(2).padStart(9)} ${(JOBS / refS).toFixed(1).padStart(9)}`);
  let one;
  for (const w of WORKERS) {
    const s = [];
    for (let r = 0; r < RUNS; r++) s.push(await gridRun(w, r));
    const m = median(s);
    one ??= m;
    console.log(`${`${w} worker process${w > 1 ? 'es' : ''} (queue)`.padEnd(35)} ${m.toFixed(2).padStart(9)} ${(JOBS / m).toFixed(1).padStart(9)} ${(one / m).toFixed(2).padStart(12)}x ${(refS / m).toFixed(2).padStart(14)}x   runs: ${s.map((x) => x.toFixed(1)).join(', ')}`);
  }
}

// ---- ingest and aggregation ----
async function ingestChild(kind, csv, target) {
  const { openIncidentStore } = await dist('store/open.js');
  const { SYNTHETIC_CSV_OPTIONS } = await dist('store/synthetic-city.js');
  const s = await openIncidentStore(kind === 'duckdb' ? `duckdb:${target}` : target);
  const t0 = performance.now();
  const r = await s.ingestFile(csv, { ...SYNTHETIC_CSV_OPTIONS, dataset: 'city' });
  const seconds = (performance.now() - t0) / 1000;
  await s.close();
  if (r.ingested !== INCIDENTS || r.rejected) throw new Error(`expected ${INCIDENTS} new rows, got ${r.ingested} (${r.rejected} rejected)`);
  return { seconds, rows: r.ingested, maxRssMB: rssMB() };
}

async function aggregateChild(kind, target) {
  const { openIncidentStore } = await dist('store/open.js');
  const { buildDataset } = await dist('tensor/dataset.js');
  const s = await openIncidentStore(kind === 'duckdb' ? `duckdb:${target}` : target);
  const t0 = performance.now();
  const table = await s.loadIncidents({ dataset: 'city' });
  const load = (performance.now() - t0) / 1000;
  await s.close();
  const { tensor } = buildDataset(table, { units: 'grid:500', period: 'day' });
  const seconds = (performance.now() - t0) / 1000;
  // order-sensitive checksum so the two back-ends' tensors can be compared across processes
  let sum = 0, h = 0;
  for (let i = 0; i < tensor.data.length; i++) { sum += tensor.data[i]; h = (Math.imul(h, 31) + tensor.data[i] * (i % 9973 + 1)) | 0; }
  return { seconds, load, rows: table.n, cells: tensor.data.length, sum, h, maxRssMB: rssMB() };
}

async function referenceIngest(kind, csv, target) {
  const t0 = performance.now();
  let rows;
  if (kind === 'duckdb') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(target);
    const con = await inst.connect();
    await con.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${csv}', header = true)`);
    rows = Number((await con.runAndReadAll('SELECT count(*) FROM raw')).getColumns()[0][0]);
    con.closeSync(); inst.closeSync();
  } else {
    const pg = (await import('pg')).default;
    const { from } = await import('pg-copy-streams');
    const { createReadStream } = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    const c = new pg.Client({ connectionString: target });
    await c.connect();
    await c.query('CREATE TABLE raw (id text, t timestamptz, category text, lat float8, lon float8)');
    await pipeline(createReadStream(csv), c.query(from('COPY raw FROM STDIN (FORMAT csv, HEADER true)')));
    rows = Number((await c.query('SELECT count(*) AS n FROM raw')).rows[0].n);
    await c.end();
  }
  return { seconds: (performance.now() - t0) / 1000, rows, maxRssMB: rssMB() };
}

function child(args) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', ...args, '--incidents', String(INCIDENTS), '--jobs', String(JOBS)],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function freshSchema(tag) {
  const pg = (await import('pg')).default;
  const schema = `bench_${tag}_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
  const u = new URL(PG);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return { url: u.toString(), drop: async () => { const d = new pg.Client({ connectionString: PG }); await d.connect(); await d.query(`DROP SCHEMA ${schema} CASCADE`); await d.end(); } };
}

async function ingest() {
  const { writeSyntheticCityCsv } = await dist('store/synthetic-city.js');
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-scale-'));
  try {
    const csv = join(dir, 'city.csv');
    let t0 = performance.now();
    await writeSyntheticCityCsv(csv, { incidents: INCIDENTS, days: 730, seed: 5 });
    console.log(`\n## Ingest and aggregation: synthetic city, ${INCIDENTS.toLocaleString('en')} incidents over 2 years (${(statSync(csv).size / 1e6).toFixed(0)} MB CSV written in ${((performance.now() - t0) / 1000).toFixed(1)} s), one run each`);
    const rows = [];
    const show = (name, r) => rows.push(`${name.padEnd(48)} ${r.seconds.toFixed(2).padStart(9)} ${Math.round(r.rows / r.seconds).toLocaleString('en').padStart(12)} ${r.maxRssMB.toFixed(0).padStart(10)}`);
    const duck = join(dir, 'store.duckdb');
    const pgA = await freshSchema('store'), pgR = await freshSchema('raw');
    try {
      const di = child(['ingest', 'duckdb', csv, duck]);
      const pi = child(['ingest', 'postgres', csv, pgA.url]);
      const dr = child(['reference-ingest', 'duckdb', csv, join(dir, 'raw.duckdb')]);
      const pr = child(['reference-ingest', 'postgres', csv, pgR.url]);
      const da = child(['aggregate', 'duckdb', duck]);
      const pa = child(['aggregate', 'postgres', pgA.url]);
      if (da.sum !== pa.sum || da.h !== pa.h || da.cells !== pa.cells) throw new Error(`the back-ends' tensors differ: ${JSON.stringify([da, pa])}`);
      show('ingest → DuckDB (embedded)', di);
      show('  reference: DuckDB read_csv, unindexed', dr);
      show('ingest → PostgreSQL/PostGIS', pi);
      show('  reference: PostgreSQL COPY, unindexed', pr);
      show('aggregate DuckDB → 500 m × day tensor', da);
      show('aggregate PostgreSQL → 500 m × day tensor', pa);
      console.log('                                                   seconds       rows/s  peak RSS MB (client)');
      console.log(rows.join('\n'));
      console.log(`ratios PostgreSQL/DuckDB: ingest ${(pi.seconds / di.seconds).toFixed(2)}x time, aggregate ${(pa.seconds / da.seconds).toFixed(2)}x time (load ${pa.load.toFixed(1)} s vs ${da.load.toFixed(1)} s)`);
      console.log(`tensors equal: ${da.cells.toLocaleString('en')} cells, ${da.sum.toLocaleString('en')} incidents counted`);
    } finally {
      await pgA.drop(); await pgR.drop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , mode, kind, a, b] = process.argv;
  const out = mode === 'reference-grid' ? await referenceGrid()
    : mode === 'ingest' ? await ingestChild(kind, a, b)
    : mode === 'aggregate' ? await aggregateChild(kind, a)
    : await referenceIngest(kind, a, b);
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
} else {
  if (!existsSync(join(here, '..', 'dist', 'jobs', 'client.js'))) { console.log('build first: npx tsc -p .'); process.exit(1); }
  if (!PG || !REDIS) { console.log('skipped: set BENCH_PG_URL and BENCH_REDIS_URL (or run .ci/services.d/*.sh and load .ci/test-env)'); process.exit(0); }
  if (!process.argv.includes('--skip-grid')) await grid();
  if (!process.argv.includes('--skip-ingest')) await ingest();
}
