import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, ingestFile, openStore } from '../../src/data/store.js';
import { readIncidentFile } from '../../src/data/ingest/read.js';

// The store stages rows in column batches of 2,048 (codes and hash lanes, decoded by the merge): what it stores
// must be exactly what the reader reads, across batch boundaries, with repeats and attributes.
const dir = mkdtempSync(join(tmpdir(), 'cc-staging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CATS = ['THEFT', 'BATTERY', 'ASSAULT "X"', 'CRIMINAL DAMAGE'];

/**
 * Unique ids of every length from 1 to ~20 chars, ASCII and not: short ASCII ids are staged as inlined strings
 * copied in bulk, the others one by one (stage-chunks.ts); both must store and compare alike.
 */
function sourceId(i: number): string {
  if (i % 3 === 0) return `C${i}`;
  if (i % 3 === 1) return `Ü-${i}`;
  return `${i}`.padStart(1 + (i % 20), 'x');
}

function rows(n: number, withId: boolean): string {
  const lines = [withId ? 'case,when,type,lat,lon,beat' : 'when,type,lat,lon,beat'];
  for (let i = 0; i < n; i++) {
    // every 97th row repeats the row before it (hashed ids number repeats "-2", "-3", …)
    const k = i % 97 === 0 && i > 0 ? i - 1 : i;
    const day = 1 + (k % 28), hour = k % 24;
    const t = `2017-03-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}:00`;
    const cat = `"${CATS[k % 4].replaceAll('"', '""')}"`;
    const lat = (41.8 + (k % 1000) * 1e-4).toFixed(6), lon = (-87.7 + (k % 777) * 1e-4).toFixed(6);
    const beat = k % 5 === 0 ? '' : `B${k % 13}`;
    lines.push([...(withId ? [sourceId(i)] : []), t, cat, lat, lon, beat].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('column-batch staging', () => {
  for (const [withId, threads] of [[false, 1], [false, 2], [true, 1], [true, 2]] as const) {
    it(`stores exactly the rows the reader reads (${withId ? 'source ids' : 'content-hash ids'}, 5,000 rows, attributes, ${threads} read thread(s))`, async () => {
      const csv = join(dir, `f${withId ? 1 : 0}-${threads}.csv`);
      writeFileSync(csv, rows(5_000, withId));
      // two threads: small ranges, so most rows (and their id slots) come from the reader thread
      const opts = { ...(withId ? { idCol: 'case' } : {}), timeCol: 'when', categoryCol: 'type', latCol: 'lat', lonCol: 'lon', attrCols: ['beat'], tz: 'America/Chicago',
        readThreads: threads, ...(threads === 2 ? { rangeBytes: 9_000 } : {}) };
      const read = await readIncidentFile(csv, { ...opts, readThreads: 1, rangeBytes: undefined });
      const store = await openStore(join(dir, `s${withId ? 1 : 0}-${threads}.duckdb`));
      try {
        const sum = await ingestFile(store, csv, { ...opts, dataset: 'd' });
        expect([sum.rows, sum.ingested, sum.rejected]).toEqual([5_000, 5_000, 0]);
        if (threads === 2) expect(sum.read.reader?.workerRanges).toBeGreaterThan(0);
        const got = (await store.con.runAndReadAll(
          `SELECT source_line, id, epoch_ms(t)::DOUBLE, category, lat, lon, attrs::VARCHAR FROM incidents ORDER BY source_line`)).getRows();
        const tbl = read.table;
        expect(got.length).toBe(tbl.n);
        for (let i = 0; i < tbl.n; i++) {
          const [line, id, t, cat, lat, lon, attrs] = got[i];
          expect(line).toBe(read.lines[i]);
          expect(id).toBe(tbl.id[i]);
          expect(t).toBe(tbl.t[i]);
          expect(cat).toBe(tbl.categories[tbl.cat[i]]);
          expect([lat, lon]).toEqual([tbl.lat[i], tbl.lon[i]]);
          const beat = tbl.attrs!.beat[i];
          expect(attrs === null ? null : JSON.parse(attrs as string).beat).toBe(beat);
        }
        if (!withId) expect(tbl.id.filter((s) => s.endsWith('-2')).length).toBeGreaterThan(40);
        // idempotent: the same file again adds nothing
        const again = await ingestFile(store, csv, { ...opts, dataset: 'd' });
        expect([again.ingested, again.duplicates, again.rejected]).toEqual([0, 5_000, 0]);
      } finally {
        closeStore(store);
      }
    });
  }
});

describe('memory cap during ingest', () => {
  it('caps DuckDB while the file is ingested and gives the limit back after; a bad size is a clear error', async () => {
    const csv = join(dir, 'cap.csv');
    writeFileSync(csv, rows(300, true));
    const opts = { idCol: 'case', timeCol: 'when', categoryCol: 'type', latCol: 'lat', lonCol: 'lon', tz: 'America/Chicago' };
    const store = await openStore(join(dir, 'cap.duckdb'));
    const limit = async () => String((await store.con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getColumns()[0][0]);
    try {
      const before = await limit();
      const r = await ingestFile(store, csv, { ...opts, dataset: 'c', memoryLimit: '300MB' });
      expect(r.ingested).toBe(300);
      expect(await limit()).toBe(before);
      const seen: string[] = [];
      await ingestFile(store, csv, { ...opts, dataset: 'c2', memoryLimit: '300MB', onStage: () => { void limit().then((l) => seen.push(l)); } });
      await new Promise((res) => setTimeout(res, 50));
      expect(seen.some((l) => /^28\d(\.\d)? MiB$/.test(l))).toBe(true);
      await expect(ingestFile(store, csv, { ...opts, dataset: 'c3', memoryLimit: 'lots' })).rejects.toThrow(/memory limit "lots" is not a size/);
      expect(await limit()).toBe(before);
    } finally {
      closeStore(store);
    }
  });
});
