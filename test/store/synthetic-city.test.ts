import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readIncidentFile } from '../../src/data/ingest/read.js';
import { SYNTHETIC_CSV_OPTIONS, syntheticCityBatches, syntheticCityTable, writeSyntheticCityCsv } from '../../src/store/synthetic-city.js';
import { parseStoreLocation, redactUrl } from '../../src/store/location.js';

it('synthetic city: deterministic, batch-size independent, clustered, and its CSV reads back without rejects', async () => {
  const o = { incidents: 5000, days: 30, seed: 4 };
  const a = [...syntheticCityBatches(o, 5000)][0];
  const parts = [...syntheticCityBatches(o, 777)];
  expect(parts.length).toBe(7);
  expect(Float64Array.from(parts.flatMap((b) => Array.from(b.t)))).toEqual(a.t);
  expect(Float64Array.from(parts.flatMap((b) => Array.from(b.lat)))).toEqual(a.lat);
  const other = [...syntheticCityBatches({ ...o, seed: 5 }, 5000)][0];
  expect(other.t).not.toEqual(a.t);
  // hot spots: the busiest 5% of 1 km cells hold far more than 5% of incidents
  const cells = new Map<string, number>();
  for (let i = 0; i < a.n; i++) {
    const k = `${Math.floor(a.lat[i] * 110.574)},${Math.floor(a.lon[i] * 83)}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  }
  const sorted = [...cells.values()].sort((x, y) => y - x);
  const top = sorted.slice(0, Math.ceil(576 * 0.05)).reduce((s, x) => s + x, 0);
  expect(top / a.n).toBeGreaterThan(0.25);

  const dir = mkdtempSync(join(tmpdir(), 'cc-syn-'));
  try {
    const csv = join(dir, 'city.csv');
    await writeSyntheticCityCsv(csv, o);
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('id,time,category,lat,lon');
    const r = await readIncidentFile(csv, SYNTHETIC_CSV_OPTIONS);
    const t = syntheticCityTable(o);
    expect([r.summary.rows, r.summary.accepted, r.summary.rejected]).toEqual([5000, 5000, 0]);
    expect(r.table.t).toEqual(t.t);
    expect(r.table.lat).toEqual(t.lat);
    expect(r.table.id.slice(0, 2)).toEqual(['s4-0', 's4-1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('store locations: postgres URLs, duckdb: paths, bare paths; passwords never printed', () => {
  expect(parseStoreLocation('postgres://u:pw@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u:pw@h:5432/db' });
  expect(parseStoreLocation('postgresql://h/db').kind).toBe('postgres');
  expect(parseStoreLocation('duckdb:/tmp/x.duckdb')).toEqual({ kind: 'duckdb', path: '/tmp/x.duckdb' });
  expect(parseStoreLocation('duckdb::memory:')).toEqual({ kind: 'duckdb', path: ':memory:' });
  expect(parseStoreLocation('/tmp/y.duckdb')).toEqual({ kind: 'duckdb', path: '/tmp/y.duckdb' });
  expect(() => parseStoreLocation('mysql://h/db')).toThrow(/unsupported store URL/);
  expect(redactUrl('postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
  expect(redactUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
});
