#!/usr/bin/env node
// Ingest benchmark: the full CHI_Crime.csv (321,877 rows) into a fresh store, CrimeCast's `ingestFile` vs DuckDB's
// own `CREATE TABLE AS SELECT * FROM read_csv(...)` on the same file in the same run. Each run is a child process
// so its peak RSS (process.resourceUsage().maxRSS) is its own; medians of 3 runs.
// Not like for like, and that is the point of showing both: CrimeCast also validates every row, converts Chicago
// local time to UTC (DST-aware), hashes ids, deduplicates against the store in one transaction and keeps rejects;
// DuckDB's reader only parses (its timestamps stay zone-less) and uses every core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CSV = resolve(here, '..', '..', 'shared', 'data', 'stshn-chicago-2016-2017', 'raw', 'CHI_Crime.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function child(kind, dbPath) {
  const t0 = performance.now();
  let rows;
  if (kind === 'crimecast') {
    const { openStore, closeStore, ingestFile } = await import('../dist/data/store.js');
    const store = await openStore(dbPath);
    const r = await ingestFile(store, CSV, { preset: 'stshn-chicago' });
    closeStore(store);
    if (r.ingested !== 321_877) throw new Error(`expected 321,877 new rows, got ${r.ingested}`);
    rows = r.ingested;
  } else {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(dbPath);
    const con = await inst.connect();
    await con.run(`CREATE TABLE incidents AS SELECT * FROM read_csv('${CSV}', header = false,
      columns = {'t': 'TIMESTAMP', 'category': 'VARCHAR', 'lat': 'DOUBLE', 'lon': 'DOUBLE'}, timestampformat = '%m/%d/%Y %I:%M:%S %p')`);
    rows = Number((await con.runAndReadAll('SELECT count(*) FROM incidents')).getColumns()[0][0]);
    con.closeSync();
    inst.closeSync();
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ rows, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function main() {
  if (!existsSync(CSV)) { console.log(`skipped: ${CSV} not found`); return; }
  if (!existsSync(join(here, '..', 'dist', 'data', 'store.js'))) { console.log('build first: npx tsc -p .'); process.exit(1); }
  const res = { crimecast: [], duckdb: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ['crimecast', 'duckdb']) {
      const dir = mkdtempSync(join(tmpdir(), 'cc-bench-ingest-'));
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind, join(dir, 'store.duckdb')], { encoding: 'utf8' });
      rmSync(dir, { recursive: true, force: true });
      if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
      res[kind].push(JSON.parse(r.stdout.trim().split('\n').pop()));
    }
  }
  const row = (name, rs) => {
    const s = median(rs.map((r) => r.seconds)), m = median(rs.map((r) => r.maxRssMB));
    return { name, rows: rs[0].rows, s, rowsPerS: rs[0].rows / s, m };
  };
  const a = row('CrimeCast ingestFile (stshn-chicago preset)', res.crimecast), b = row('DuckDB read_csv + CREATE TABLE AS', res.duckdb);
  console.log(`CHI_Crime.csv → fresh store, median of ${RUNS} runs (each in its own process)`);
  console.log('                                               rows     seconds      rows/s   peak RSS MB');
  for (const r of [a, b]) console.log(`${r.name.padEnd(44)} ${String(r.rows).padStart(7)} ${r.s.toFixed(2).padStart(11)} ${Math.round(r.rowsPerS).toString().padStart(11)} ${r.m.toFixed(0).padStart(13)}`);
  console.log(`ratio CrimeCast/DuckDB: time ${(a.s / b.s).toFixed(2)}x, peak RSS ${(a.m / b.m).toFixed(2)}x`);
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
