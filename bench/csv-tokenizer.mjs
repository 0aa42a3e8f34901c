#!/usr/bin/env node
// CSV tokenizing of CHI_Crime.csv (321,877 rows): CrimeCast's hand-written tokenizer vs csv-parse, medians of 3.
// csv-parse is shown twice: plain, and with the `info` + `raw` options CrimeCast needs (physical line numbers and
// raw row text for rejects). This measurement decided src/data/ingest/csv-tokenizer.ts.
import { createReadStream, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { tokenizeCsv } from '../dist/data/ingest/csv-tokenizer.js';

const CSV = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data', 'stshn-chicago-2016-2017', 'raw', 'CHI_Crime.csv');
if (!existsSync(CSV)) { console.log(`skipped: ${CSV} not found`); process.exit(0); }

const cases = {
  'CrimeCast tokenizeCsv (lines + raw text)': async () => {
    let n = 0;
    for await (const b of tokenizeCsv(createReadStream(CSV, { encoding: 'utf8', highWaterMark: 1 << 20 }))) n += b.n;
    return n;
  },
  'csv-parse (plain)': async () => {
    let n = 0;
    for await (const _ of createReadStream(CSV).pipe(parse({ relax_column_count: true, bom: true }))) n++;
    return n;
  },
  'csv-parse (info + raw)': async () => {
    let n = 0;
    for await (const _ of createReadStream(CSV).pipe(parse({ relax_column_count: true, bom: true, info: true, raw: true }))) n++;
    return n;
  },
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
let rows = 0;
for (let run = 0; run < 3; run++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t0 = performance.now();
    rows = await fn();
    times[name].push(performance.now() - t0);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[1];
const base = median(times['CrimeCast tokenizeCsv (lines + raw text)']);
console.log(`tokenize CHI_Crime.csv (${rows} rows), median of 3`);
for (const [name, ts] of Object.entries(times)) console.log(`${name.padEnd(42)} ${median(ts).toFixed(0).padStart(6)} ms  ${(median(ts) / base).toFixed(2)}x`);
