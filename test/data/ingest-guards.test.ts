import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeStore, ingestFile, loadIncidents, openStore, storeInfo, type Store } from '../../src/data/store.js';
import { readIncidentFile } from '../../src/data/ingest/read.js';
import { UserError } from '../../src/util/errors.js';

// Issue 20's data-loss and poisoning reproductions, one by one (the seeded corpus in hostile.test.ts mixes them).
const dir = mkdtempSync(join(tmpdir(), 'cc-guards-'));
let store: Store;
beforeAll(async () => { store = await openStore(join(dir, 'store.duckdb')); });
afterAll(() => { closeStore(store); rmSync(dir, { recursive: true, force: true }); });
const write = (name: string, text: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const GENERIC = { timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', idCol: 'id', tz: 'America/Chicago' };
const HEAD = 'id,time,category,lat,lon\n';

describe('ingest guards', () => {
  it('refuses a second time zone in a dataset, naming both zones and the fix; the store is unchanged', async () => {
    const f = write('tz.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n');
    expect((await ingestFile(store, f, { ...GENERIC, dataset: 'tz' })).ingested).toBe(1);
    const g = write('tz-utc.csv', HEAD + '2,2017-09-05 13:00,THEFT,41.85,-87.65\n');
    const err = await ingestFile(store, g, { ...GENERIC, tz: 'UTC', dataset: 'tz' }).catch((e: unknown) => e) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(g);
    expect(err.message).toContain('holds times in America/Chicago, but this file would be read in UTC');
    expect(err.hint).toContain('--tz America/Chicago');
    expect((await storeInfo(store, 'tz')).datasets[0].incidents).toBe(1);
    await expect(loadIncidents(store, { dataset: 'tz' })).resolves.toMatchObject({ n: 1, tz: 'America/Chicago' });
  });

  it('keeps same-id-other-content rows aside as conflicting duplicates with their line; re-ingest is idempotent', async () => {
    const f = write('dups.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n2,2017-09-05 13:00,BATTERY,41.8,-87.6\n' +
      '1,2017-09-05 12:00,THEFT,41.85,-87.65\n1,2017-09-05 12:00,ROBBERY,41.85,-87.65\n');
    const rejectsPath = join(dir, 'dups.jsonl');
    for (const k of [0, 1]) {
      const r = await ingestFile(store, f, { ...GENERIC, dataset: 'dups', rejectsPath });
      expect([r.rows, r.ingested, r.duplicates, r.rejected]).toEqual(k === 0 ? [4, 2, 1, 1] : [4, 0, 3, 1]);
      expect(r.rejectsByReason).toEqual({ 'conflicting-duplicate': 1 });
      const rej = readFileSync(rejectsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(rej.map((x) => [x.line, x.reason, x.raw])).toEqual([[5, 'conflicting-duplicate', '1,2017-09-05 12:00,ROBBERY,41.85,-87.65']]);
    }
    // against the store: id 2 arrives again with another time
    const g = write('dups2.csv', HEAD + '2,2017-09-05 14:00,BATTERY,41.8,-87.6\n3,2017-09-05 15:00,THEFT,41.8,-87.6\n');
    const r = await ingestFile(store, g, { ...GENERIC, dataset: 'dups', rejectsPath: join(dir, 'dups2.jsonl') });
    expect([r.rows, r.ingested, r.duplicates, r.rejected]).toEqual([2, 1, 0, 1]);
    expect((await storeInfo(store, 'dups')).datasets[0]).toMatchObject({ incidents: 3, rejects: 2 });
  });

  it('encodes composite ids unambiguously, leaving ids without ":" or "\\\\" as they were', async () => {
    const f = write('composite.csv', 'a,b,time,category,lat,lon\nx:y,z,2017-09-05 12:00,THEFT,41.85,-87.65\nx,y:z,2017-09-05 12:00,THEFT,41.85,-87.65\n' +
      'INC1,OFF2,2017-09-05 12:00,THEFT,41.85,-87.65\n');
    const { table } = await readIncidentFile(f, { ...GENERIC, idCol: 'a,b' });
    expect(table.id).toEqual(['x\\:y:z', 'x:y\\:z', 'INC1:OFF2']);
  });

  it('resolves presets by own name only: "__proto__" and "toString" are unknown presets', async () => {
    const f = write('proto.csv', HEAD);
    for (const preset of ['__proto__', 'toString', 'constructor']) {
      await expect(readIncidentFile(f, { preset }), preset).rejects.toThrow(`unknown preset "${preset}"`);
    }
  });

  it('rejects swapped lat/lon against a preset box, and --bbox none turns the box off', async () => {
    const f = write('swapped.csv', '09/01/2017 12:00:00 AM,THEFT,41.84650556,-87.691127559\n09/01/2017 12:00:00 AM,THEFT,-87.691127559,41.84650556\n');
    const { rejects } = await readIncidentFile(f, { preset: 'stshn-chicago' });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'lat-lon-swapped']]);
    expect(rejects[0].field).toContain('preset stshn-chicago box');
    expect((await readIncidentFile(f, { preset: 'stshn-chicago', bbox: null })).rejects).toEqual([]);
  });

  it('counts undecodable bytes with their lines, and reads Latin-1 exactly with --encoding', async () => {
    const text = HEAD + '1,2017-09-05 12:00,VOL AGGRAV\u00c9,41.85,-87.65\n2,2017-09-05 12:00,THEFT,41.85,-87.65\n3,2017-09-05 12:00,\u00e9\u00e9,41.85,-87.65\n';
    const f = write('latin1.csv', Uint8Array.from(text, (c) => c.charCodeAt(0)));
    const utf8 = await readIncidentFile(f, GENERIC);
    expect(utf8.summary.encoding).toEqual({ name: 'utf-8', replaced: 3, rows: 2, lines: [2, 4] });
    const latin = await readIncidentFile(f, { ...GENERIC, encoding: 'windows-1252' });
    expect(latin.summary.encoding.replaced).toBe(0);
    expect(latin.table.categories).toEqual(['VOL AGGRAV\u00c9', 'THEFT', '\u00e9\u00e9']);
  });

  it('GeoJSON: a BOM is fine, and __lat/__lon properties never replace the geometry nor upset the next feature', async () => {
    const feats = [
      { type: 'Feature', properties: { time: '2017-09-05 12:00', category: 'THEFT', __lat: 0, __lon: '0x29' }, geometry: { type: 'Point', coordinates: [-87.65, 41.85] } },
      { type: 'Feature', properties: { time: '2017-09-05 13:00', category: 'BATTERY' }, geometry: { type: 'Point', coordinates: [-87.6, 41.8] } },
    ];
    const f = write('dunder.geojson', '\uFEFF' + JSON.stringify({ type: 'FeatureCollection', features: feats }));
    const { table, rejects } = await readIncidentFile(f, { timeCol: 'time', categoryCol: 'category', tz: 'America/Chicago' });
    expect(rejects).toEqual([]);
    expect([...table.lat]).toEqual([41.85, 41.8]);
    expect([...table.lon]).toEqual([-87.65, -87.6]);
  });

  it('info and loadIncidents survive a stored time no Date can hold (a store written before ingest checked times)', async () => {
    const f = write('ok.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n');
    await ingestFile(store, f, { ...GENERIC, dataset: 'poisoned' });
    await store.con.run(`INSERT INTO incident_rows (source, id, t, category, lat, lon, attrs, source_line) SELECT source, 'bad', make_timestamp(8770000000000000 * 1000), 'THEFT', 41.85, -87.65, NULL, 2
      FROM incident_sources WHERE dataset = 'poisoned'`);
    const d = (await storeInfo(store, 'poisoned')).datasets[0];
    expect(d).toMatchObject({ incidents: 1, unreadable: 1, from: '2017-09-05T17:00:00.000Z' });
    expect((await loadIncidents(store, { dataset: 'poisoned' })).n).toBe(1);
  });

  it('a failure after COMMIT says the data is committed (never "cannot rollback")', async () => {
    const f = write('late.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n2,2017-09-05 12:00,THEFT,41.85,-87.65\n');
    const err = await ingestFile(store, f, { ...GENERIC, dataset: 'late', onStep: (s) => { if (s === 'committed') throw new Error('lost the terminal'); } })
      .catch((e: unknown) => e) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(f);
    expect(err.message).toContain('committed: 2 new incidents in dataset "late"');
    expect(err.message).not.toMatch(/rollback/i);
    expect((await storeInfo(store, 'late')).datasets[0].incidents).toBe(2);
  });

  it.runIf(existsSync('/dev/full'))('a full disk while writing rejects leaves the store unchanged and says so', async () => {
    const f = write('full.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n2,yesterday,THEFT,41.85,-87.65\n');
    const err = await ingestFile(store, f, { ...GENERIC, dataset: 'full', rejectsPath: '/dev/full' }).catch((e: unknown) => e) as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(f);
    expect(err.message).toMatch(/ENOSPC.*nothing was committed/);
    await expect(storeInfo(store, 'full')).rejects.toThrow(/no dataset "full"/);
  });
});
