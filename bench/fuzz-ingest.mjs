#!/usr/bin/env node
// Hostile-input fuzz of the ingest (issue 20), the large version of test/data/hostile.test.ts: FUZZ_N (default
// 2,000) seeded inputs from test/data/hostile/corpus.mjs through the library ingestFile of dist/ into one embedded
// store, each checked by test/data/hostile/check.mjs; the store is closed and reopened every 100 inputs. Prints the
// counts the issue asks for — uncaught exceptions, silent drops, inconsistent stores — by kind, then the issue's
// unterminated-quote reproduction at scale (one open quote ahead of FUZZ_QUOTE_ROWS valid rows).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeStore, ingestFile, openStore, storeInfo } from '../dist/data/store.js';
import { UserError } from '../dist/util/errors.js';
import { Rng } from '../dist/util/rng.js';
import { hostileCase, hostileCorpus } from '../test/data/hostile/corpus.mjs';
import { checkCase } from '../test/data/hostile/check.mjs';

const N = Number(process.env.FUZZ_N ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 2020);
const QUOTE_ROWS = Number(process.env.FUZZ_QUOTE_ROWS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'cc-fuzz-'));
const storeFile = join(dir, 'fuzz.duckdb');

const totals = { inputs: 0, uncaught: 0, silentDrops: 0, inconsistent: 0, otherProblems: 0, refused: 0 };
const byKind = new Map();
const examples = [];
let store = await openStore(storeFile);
const api = { ingestFile: (p, o) => ingestFile(store, p, o), storeInfo: (d) => storeInfo(store, d), UserError };
const t0 = performance.now();
try {
  const rng = new Rng(SEED);
  const cases = [...hostileCorpus(N, () => rng.random())];
  // the rare, slow kind at least once
  if (!cases.some((c) => c.kind === 'too-many-categories')) cases.push(hostileCase(N, 'too-many-categories', () => rng.random()));
  for (const c of cases) {
    const caseDir = join(dir, `case${c.index}`);
    mkdirSync(caseDir, { recursive: true });
    let r;
    try {
      r = await checkCase(c, api, caseDir);
    } catch (err) {
      // an exception from the checking itself (storeInfo, reading the rejects file) is the store's failure too
      r = { problems: [`check threw ${err?.name}: ${String(err?.message).slice(0, 200)}`], uncaught: true, silentDrop: false, inconsistent: true };
    }
    totals.inputs++;
    if (!c.expect.ok) totals.refused++;
    const k = byKind.get(c.kind) ?? { inputs: 0, uncaught: 0, silentDrops: 0, inconsistent: 0, otherProblems: 0 };
    k.inputs++;
    if (r.uncaught) { totals.uncaught++; k.uncaught++; }
    if (r.silentDrop) { totals.silentDrops++; k.silentDrops++; }
    if (r.inconsistent) { totals.inconsistent++; k.inconsistent++; }
    if (r.problems.length && !r.uncaught && !r.silentDrop && !r.inconsistent) { totals.otherProblems++; k.otherProblems++; }
    byKind.set(c.kind, k);
    if (r.problems.length && examples.length < 10) examples.push(`#${c.index} ${c.kind}: ${r.problems.join('; ').slice(0, 400)}`);
    rmSync(caseDir, { recursive: true, force: true });
    if (totals.inputs % 100 === 0) { closeStore(store); store = await openStore(storeFile); }
  }
  const seconds = (performance.now() - t0) / 1000;
  const info = await storeInfo(store);
  const unreadable = info.datasets.reduce((a, d) => a + (d.unreadable ?? 0), 0);

  console.log(`fuzz-ingest: ${totals.inputs} hostile inputs (seed ${SEED}) in ${seconds.toFixed(1)} s, ${totals.refused} of them files that must be refused`);
  console.log('kind                     inputs  uncaught  silent-drops  inconsistent  other');
  for (const [kind, k] of [...byKind].sort()) {
    console.log(`${kind.padEnd(24)} ${String(k.inputs).padStart(6)} ${String(k.uncaught).padStart(9)} ${String(k.silentDrops).padStart(13)} ${String(k.inconsistent).padStart(13)} ${String(k.otherProblems).padStart(6)}`);
  }
  console.log(`TOTAL: uncaught exceptions ${totals.uncaught}, silent drops ${totals.silentDrops}, inconsistent stores ${totals.inconsistent}, other mismatches ${totals.otherProblems}`);
  console.log(`store after all inputs: ${info.datasets.length} datasets, ${info.datasets.reduce((a, d) => a + d.incidents, 0)} incidents, ${info.datasets.reduce((a, d) => a + d.rejects, 0)} rejects, ${unreadable} unreadable times`);
  for (const e of examples) console.log(`  ${e}`);

  // the issue's reproduction at scale: one unterminated quote ahead of QUOTE_ROWS valid rows
  const big = join(dir, 'open-quote.csv');
  const lines = ['id,time,category,lat,lon', 'X1,2017-09-05 12:00,"THEFT,41.85,-87.65'];
  for (let i = 0; i < QUOTE_ROWS; i++) lines.push(`R${i},2017-09-05 12:${String(i % 60).padStart(2, '0')},${i % 7 ? 'THEFT' : '"BATTERY"'},41.8${i % 10},-87.6${i % 10}`);
  writeFileSync(big, lines.join('\n') + '\n');
  const q0 = performance.now();
  const r = await ingestFile(store, big, { timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', idCol: 'id', tz: 'America/Chicago', dataset: 'open_quote', rejectsPath: join(dir, 'open-quote.rejects.jsonl') });
  console.log(`unterminated quote + ${QUOTE_ROWS.toLocaleString('en-US')} valid rows: ${r.rows} rows, ${r.ingested} new, ${r.rejected} rejected (${Object.entries(r.rejectsByReason).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${((performance.now() - q0) / 1000).toFixed(1)} s`);
  if (totals.uncaught || totals.silentDrops || totals.inconsistent || r.ingested !== QUOTE_ROWS) process.exitCode = 1;
} finally {
  closeStore(store);
  rmSync(dir, { recursive: true, force: true });
}
