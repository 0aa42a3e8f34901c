/**
 * The two-thread CSV reader must give exactly what one thread gives: rows, their order and source lines, rejects
 * with reasons, category codes, hashed ids, undecodable-character counts. Small range sizes put cuts inside quoted
 * multi-line fields, inside multi-byte characters' rows and next to rejects, where a wrong merge would show.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIncidentFile, type ReadResult } from '../../src/data/ingest/read.js';
import { PARALLEL_MIN_BYTES, readCsvInRanges } from '../../src/data/ingest/csv-parallel.js';
import { recordFields, type RowBatch } from '../../src/data/ingest/csv-tokenizer.js';
import { IncidentAccumulator } from '../../src/data/ingest/normalize.js';
import { normalizeSettings } from '../../src/data/ingest/read.js';
import { bindColumns, resolveSpec } from '../../src/data/ingest/resolve.js';
import { planRanges } from '../../src/data/ingest/csv-range.js';
import type { ReadOptions } from '../../src/data/ingest/spec.js';
import { Rng } from '../../src/util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'crimecast-csv-parallel-'));
const CATS = ['THEFT', 'BATTERY', 'ROBO – AGRAVADO', 'Körperverletzung', 'VOL À L\'ÉTALAGE', 'NARCOTICS'];

/** A CSV of `n` records with hostile rows mixed in at seeded places; returns its path. */
function hostileCsv(name: string, n: number, seed: number, withId = true): string {
  const rng = new Rng(seed);
  const parts: Buffer[] = [Buffer.from('\uFEFF' + (withId ? 'id,' : '') + 'time,category,lat,lon,note\r\n')];
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    // categories appear for the first time in different parts of the file, so per-range codes differ
    const cat = CATS[Math.min(CATS.length - 1, Math.floor(rng.random() * (1 + (i * CATS.length) / n)))];
    const day = 1 + Math.floor(rng.random() * 28);
    const time = `2021-03-${String(day).padStart(2, '0')}T${String(Math.floor(rng.random() * 24)).padStart(2, '0')}:15:00`;
    const lat = (-33.9 + rng.random() * 0.2).toFixed(5), lon = (151.1 + rng.random() * 0.2).toFixed(5);
    const id = withId ? `${i % 97 === 5 && i > 0 ? i - 1 : i},` : ''; // a few repeated ids
    let note = 'plain';
    let row: string;
    if (u < 0.08) note = `"two\nlines, with ""quotes"""`; // a line feed inside a quoted field
    else if (u < 0.1) note = `"three\r\nline\nnote"`;
    if (u >= 0.1 && u < 0.13) row = `${id}not a date,${cat},${lat},${lon},${note}`;
    else if (u >= 0.13 && u < 0.15) row = `${id}${time},${cat},${lat},${lon},${note},extra`;
    else if (u >= 0.15 && u < 0.17) row = `${id}${time},,${lat},${lon},${note}`;
    else if (u >= 0.17 && u < 0.19) row = `${id}${time},${cat},,,${note}`;
    else row = `${id}${time},"${cat}",${lat},${lon},${note}`;
    const eol = u > 0.95 ? '\r\n' : '\n';
    if (u >= 0.19 && u < 0.21) {
      // bytes that are not UTF-8 inside the note: kept as U+FFFD and counted
      parts.push(Buffer.from(row.slice(0, -note.length)), Buffer.from([0x6e, 0xe9, 0xff, 0x6f]), Buffer.from(eol));
    } else {
      parts.push(Buffer.from(row + eol));
    }
    if (!withId && i % 50 === 7) parts.push(Buffer.from(row + eol)); // an exact repeat: same content hash
  }
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

const BASE: ReadOptions = { timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', tz: 'Australia/Sydney', timeFormat: 'iso', attrCols: ['note'] };

function comparable(r: ReadResult) {
  const { seconds: _s, reader: _r, ...summary } = r.summary;
  return {
    summary,
    n: r.table.n,
    t: Array.from(r.table.t), lat: Array.from(r.table.lat), lon: Array.from(r.table.lon),
    // category codes and their names: equal codes, not only equal names
    cat: Array.from(r.table.cat), categories: r.table.categories,
    id: r.table.id, attrs: r.table.attrs,
    lines: Array.from(r.lines),
    rejects: r.rejects.map((x) => [x.line, x.reason, x.field, x.raw]),
  };
}

describe('two-thread CSV reader', () => {
  it('gives exactly the one-thread result when cuts fall inside quoted line breaks, rejects and bad bytes', async () => {
    const path = hostileCsv('hostile.csv', 3000, 11);
    const one = await readIncidentFile(path, { ...BASE, idCol: 'id', readThreads: 1 });
    expect(one.summary.reader).toMatchObject({ threads: 1 });
    expect(one.rejects.length).toBeGreaterThan(200);
    expect(one.summary.encoding.replaced).toBeGreaterThan(50);
    for (const rangeBytes of [61, 997, 4096, 20_000]) {
      const two = await readIncidentFile(path, { ...BASE, idCol: 'id', readThreads: 2, rangeBytes });
      expect(comparable(two)).toEqual(comparable(one));
      const info = two.summary.reader!;
      expect(info.threads).toBe(2);
      expect(info.ranges).toBe(planRanges(path, statSync(path).size, rangeBytes).length - 1);
      expect(info.workerRanges).toBeGreaterThan(0);
      // with ~10% multi-line records, small ranges must hit a quoted line feed: those are read again in order
      if (rangeBytes <= 997) expect(info.reparsed).toBeGreaterThan(0);
    }
  });

  it('gives the same hashed ids (no id column, repeated rows) and honours dropFirstRow', async () => {
    const path = hostileCsv('no-id.csv', 1500, 12, false);
    for (const dropFirstRow of [false, true]) {
      const one = await readIncidentFile(path, { ...BASE, dropFirstRow, readThreads: 1 });
      const two = await readIncidentFile(path, { ...BASE, dropFirstRow, readThreads: 2, rangeBytes: 800 });
      expect(one.summary.hashedIds).toBe(true);
      expect(comparable(two)).toEqual(comparable(one));
      expect(two.summary.reader!.workerRanges).toBeGreaterThan(0);
    }
  });

  it('reads an unterminated quote the same way on both paths', async () => {
    const good = 'time,category,lat,lon,note\n' + Array.from({ length: 400 }, (_, i) => `2021-03-0${1 + (i % 9)}T10:00:00,THEFT,-33.8${i % 10},151.2,ok\n`).join('');
    const path = join(dir, 'unterminated.csv');
    writeFileSync(path, good + '2021-03-02T10:00:00,THEFT,-33.8,151.2,"never closed\n' + good.split('\n').slice(1, 200).join('\n') + '\n');
    const one = await readIncidentFile(path, { ...BASE, readThreads: 1 });
    const two = await readIncidentFile(path, { ...BASE, readThreads: 2, rangeBytes: 500 });
    expect(comparable(two)).toEqual(comparable(one));
    expect(one.rejects.length).toBeGreaterThan(0);
  });

  it('explains a one-thread read and rejects bad thread and range settings', async () => {
    const path = hostileCsv('small.csv', 50, 13);
    const r = await readIncidentFile(path, { ...BASE, idCol: 'id' });
    // without a chosen range size a small file is read on one thread, and the summary says why
    expect(r.summary.reader).toMatchObject({ threads: 1, why: expect.stringMatching(/one core|under 32 MB|one read thread/) });
    expect(PARALLEL_MIN_BYTES).toBe(32 << 20);
    await expect(readIncidentFile(path, { ...BASE, idCol: 'id', readThreads: 0 })).rejects.toThrow(/read threads must be a whole number/);
    await expect(readIncidentFile(path, { ...BASE, idCol: 'id', readThreads: 2, rangeBytes: 0.5 })).rejects.toThrow(/rangeBytes must be a whole number/);
  });

  it('falls back to the main thread, with the same rows, when the reader thread dies, and says so', async () => {
    const path = hostileCsv('worker-dies.csv', 1200, 14);
    const dying = join(dir, 'dying-worker.mjs');
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.once('message', () => { throw new Error('simulated crash'); });\n");
    const spec = resolveSpec({ ...BASE, idCol: 'id' });
    const settings = normalizeSettings(spec, 'worker-dies.csv');
    let acc: IncidentAccumulator | undefined;
    const info = await readCsvInRanges({
      path, size: statSync(path).size, encoding: 'utf-8', rangeBytes: 700, workerPath: dying,
      onBatch: async (b: RowBatch) => {
        let from = 0;
        if (!acc) {
          acc = new IncidentAccumulator(bindColumns(spec, recordFields(b, 0).map((x) => x.trim()), 'worker-dies.csv'), settings);
          from = 1;
        }
        acc.addBatch(b, from);
      },
      workerInit: () => (acc ? { cols: bindColumns(spec, ['id', 'time', 'category', 'lat', 'lon', 'note'], 'worker-dies.csv'), settings } : null),
      absorb: async (part, _enc, lineOffset) => { acc!.absorb(part, lineOffset); },
    });
    expect(info.workerFailed).toMatch(/simulated crash|exited/);
    expect(info.workerRanges).toBe(0);
    const one = await readIncidentFile(path, { ...BASE, idCol: 'id', readThreads: 1 });
    const { table, lines } = acc!.finish();
    expect(Array.from(lines)).toEqual(Array.from(one.lines));
    expect(Array.from(table.t)).toEqual(Array.from(one.table.t));
    expect(acc!.rejects.map((x) => [x.line, x.reason])).toEqual(one.rejects.map((x) => [x.line, x.reason]));
  });
});
