#!/usr/bin/env node
// Ingest benchmark: a CSV into a fresh store, CrimeCast's `ingestFile` vs DuckDB's own
// `CREATE TABLE AS SELECT * FROM read_csv(...)` on the same file, runs interleaved (CrimeCast, DuckDB, CrimeCast, …).
// Each run is a child process so its wall time (import, open, ingest, close = checkpoint) and peak RSS
// (process.resourceUsage().maxRSS) are its own; medians of BENCH_RUNS (default 3).
//   node bench/ingest.mjs            CHI_Crime.csv (321,877 rows, headerless, local times, no ids → content hashes)
//   INGEST_ROWS=10000000 node bench/ingest.mjs   a synthetic city of that many rows (ids, ISO UTC times), written
//                                    to the temp folder first and deleted afterwards (10M ≈ 640 MB, ~1 min to write)
//   INGEST_CSV=/tmp/city.csv         with INGEST_ROWS: use that synthetic-city file (same seed and size) instead of writing one
//   CRIMECAST_READ_THREADS=1         CrimeCast reads the CSV on one thread (default: two on a two-core machine)
//   CC_DIST=/path/to/dist            time another build of CrimeCast (e.g. a copy of dist/ from before a change)
//   CRIMECAST_CSV_KERNEL=0           CrimeCast without its compiled CSV reader (the JS reader alone; same rows)
// Not like for like, and that is the point of showing both: CrimeCast also validates every row, converts local
// time to UTC (DST-aware), hashes or checks ids, deduplicates against the store in one transaction and keeps
// rejects; DuckDB's reader only parses and uses every core.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordRatios } from './_interleave.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.CC_DIST ?? join(here, '..', 'dist'));
const CHI = resolve(here, '..', '..', 'shared', 'data', 'stshn-chicago-2016-2017', 'raw', 'CHI_Crime.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SYNTH_ROWS = Number(process.env.INGEST_ROWS ?? 0);

const distUrl = (p) => pathToFileURL(join(DIST, p)).href;

async function child(kind, csv, dbPath, synthetic) {
  const t0 = performance.now();
  let rows, readThreads;
  if (kind === 'crimecast') {
    const { openStore, closeStore, ingestFile } = await import(distUrl('data/store.js'));
    const opts = synthetic ? { ...(await import(distUrl('store/synthetic-city.js'))).SYNTHETIC_CSV_OPTIONS, dataset: 'city' } : { preset: 'stshn-chicago' };
    const store = await openStore(dbPath);
    const r = await ingestFile(store, csv, opts);
    closeStore(store);
    if (r.rejected !== 0) throw new Error(`expected no rejects, got ${r.rejected}`);
    rows = r.ingested;
    readThreads = r.read.reader?.threads ?? 1;
  } else {
    // loaded with require(), as CrimeCast loads it (src/data/duckdb.ts): an ESM import lexes the CommonJS package first
    const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');
    const inst = await DuckDBInstance.create(dbPath);
    const con = await inst.connect();
    await con.run(synthetic
      ? `CREATE TABLE incidents AS SELECT * FROM read_csv('${csv}', header = true,
          columns = {'id': 'VARCHAR', 't': 'TIMESTAMPTZ', 'category': 'VARCHAR', 'lat': 'DOUBLE', 'lon': 'DOUBLE'})`
      : `CREATE TABLE incidents AS SELECT * FROM read_csv('${csv}', header = false,
          columns = {'t': 'TIMESTAMP', 'category': 'VARCHAR', 'lat': 'DOUBLE', 'lon': 'DOUBLE'}, timestampformat = '%m/%d/%Y %I:%M:%S %p')`);
    rows = Number((await con.runAndReadAll('SELECT count(*) FROM incidents')).getColumns()[0][0]);
    con.closeSync();
    inst.closeSync();
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ rows, readThreads, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  if (!existsSync(join(DIST, 'data', 'store.js'))) { console.log(`build first: npx tsc -p . (no ${DIST}/data/store.js)`); process.exit(1); }
  let csv = CHI, label = 'CHI_Crime.csv', cleanup = null;
  if (SYNTH_ROWS > 0) {
    const t0 = performance.now();
    if (process.env.INGEST_CSV) csv = resolve(process.env.INGEST_CSV); // reuse a file written earlier (kept)
    else {
      const dir = mkdtempSync(join(tmpdir(), 'cc-bench-ingest-csv-'));
      csv = join(dir, 'city.csv');
      cleanup = () => rmSync(dir, { recursive: true, force: true });
      const { writeSyntheticCityCsv } = await import(distUrl('store/synthetic-city.js'));
      await writeSyntheticCityCsv(csv, { incidents: SYNTH_ROWS, days: 730, seed: 5 });
    }
    label = `synthetic city, ${SYNTH_ROWS.toLocaleString('en')} rows (${(statSync(csv).size / 1e6).toFixed(0)} MB, written in ${((performance.now() - t0) / 1000).toFixed(0)} s)`;
  } else if (!existsSync(CHI)) { console.log(`skipped: ${CHI} not found`); return; }
  const res = { crimecast: [], duckdb: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const kind of ['crimecast', 'duckdb']) {
        const dir = mkdtempSync(join(tmpdir(), 'cc-bench-ingest-'));
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, csv, join(dir, 'store.duckdb'), SYNTH_ROWS > 0 ? '1' : '0'], { encoding: 'utf8', env: { ...process.env, CC_DIST: DIST } });
        rmSync(dir, { recursive: true, force: true });
        if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
        res[kind].push(JSON.parse(r.stdout.trim().split('\n').pop()));
      }
    }
  } finally {
    cleanup?.();
  }
  const row = (name, rs) => {
    const s = median(rs.map((r) => r.seconds)), m = median(rs.map((r) => r.maxRssMB));
    return { name, rows: rs[0].rows, s, rowsPerS: rs[0].rows / s, m };
  };
  const a = row('CrimeCast ingestFile', res.crimecast), b = row('DuckDB read_csv + CREATE TABLE AS', res.duckdb);
  if (a.rows !== b.rows) throw new Error(`row counts differ: CrimeCast ${a.rows}, DuckDB ${b.rows}`);
  const jsThreads = Math.max(...res.crimecast.map((r) => r.readThreads));
  console.log(`${label} → fresh store, median of ${RUNS} interleaved runs (each in its own process; wall seconds incl. import, open and close)`);
  console.log(`CrimeCast read the CSV on ${jsThreads} JS thread(s) (CRIMECAST_READ_THREADS=1 forces one; files under 32 MB use one)`);
  console.log('                                               rows     seconds      rows/s   peak RSS MB');
  for (const r of [a, b]) console.log(`${r.name.padEnd(44)} ${String(r.rows).padStart(9)} ${r.s.toFixed(2).padStart(9)} ${Math.round(r.rowsPerS).toString().padStart(11)} ${r.m.toFixed(0).padStart(13)}`);
  const ratios = res.crimecast.map((c, i) => c.seconds / res.duckdb[i].seconds).sort((x, y) => x - y);
  console.log(`ratio CrimeCast/DuckDB: time ${(a.s / b.s).toFixed(2)}x (per-pair ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}), peak RSS ${(a.m / b.m).toFixed(2)}x`);
  // for npm run bench's closing table: time and peak memory per pair of runs, each against the 2x target
  const task = SYNTH_ROWS > 0 ? `ingest ${SYNTH_ROWS.toLocaleString('en')}-row synthetic city` : 'ingest CHI_Crime.csv (321,877 rows)';
  const agreement = `same row count (${a.rows.toLocaleString('en')}), 0 rejects`;
  recordRatios('Ingest: CrimeCast ingestFile / DuckDB read_csv + CREATE TABLE AS', { task: `${task}: time`, threads: `${jsThreads} JS + DuckDB / DuckDB (both cores)`, clock: 'wall s', ours: res.crimecast.map((r) => r.seconds), theirs: res.duckdb.map((r) => r.seconds), agree: true, agreement, target: 2 });
  recordRatios('Ingest: CrimeCast ingestFile / DuckDB read_csv + CREATE TABLE AS', { task: `${task}: peak RSS`, threads: `${jsThreads} JS + DuckDB / DuckDB (both cores)`, clock: 'peak RSS MB', ours: res.crimecast.map((r) => r.maxRssMB), theirs: res.duckdb.map((r) => r.maxRssMB), agree: true, agreement, target: 2 });
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], process.argv[5], process.argv[6] === '1');
else await main();
