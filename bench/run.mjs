#!/usr/bin/env node
// Runs every benchmark script in bench/ (or those named on the command line), one after another,
// each in its own process so peak-RSS figures don't mix. Results are printed side by side with references.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const dir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
// every bench that races a reference appends its rows here (bench/_interleave.mjs recordRatios); one table closes the run
const summary = join(tmpdir(), `crimecast-bench-${process.pid}.jsonl`);
rmSync(summary, { force: true });
let failed = [];
for (const s of scripts) {
  process.stdout.write(`\n=== bench/${s} ===\n`);
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(dir, s)], { stdio: 'inherit', env: { ...process.env, CRIMECAST_BENCH_SUMMARY: summary } });
  if (r.status !== 0) failed.push(s);
}
const rows = existsSync(summary) ? readFileSync(summary, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(summary, { force: true });
const f = (x) => x.toFixed(2);
console.log('\n=== CrimeCast ÷ reference, all benches in this run (per alternating pair: median (min–max); lower is faster) ===');
console.log('| bench | task | threads | timed on | ratio | target | met | agreement |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.ratio ? `${f(r.ratio.median)} (${f(r.ratio.min)}–${f(r.ratio.max)})` : 'not compared: results disagree';
  const met = r.ratio && r.target != null ? (r.ratio.median <= r.target ? 'yes' : 'no') : '–';
  console.log(`| ${r.bench} | ${r.task} | ${r.threads} | ${r.clock} | ${ratio} | ${r.target != null ? `≤ ${r.target}` : '–'} | ${met} | ${r.agreement}${r.note ? `; ${r.note}` : ''} |`);
}
if (rows.length === 0) console.log('(no bench in this run races a reference)');
if (failed.length) console.log(`\n${failed.length} bench(es) failed: ${failed.join(', ')} (their rows are missing above)`);
process.exit(failed.length ? 1 : 0);
