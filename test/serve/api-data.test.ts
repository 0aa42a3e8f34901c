/** Contract tests of the data endpoints: upload, real-time ingest, incident points (access-logged), units, models. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
const CSV = syntheticCsv({ days: 60 });
const ROWS = CSV.trim().split('\n').length - 1;
beforeAll(async () => { t = await startTestService(); });
afterAll(async () => { await t?.close(); });

const json = async <T = Record<string, unknown>>(r: Response | Promise<Response>) => (await r).json() as Promise<T>;

describe('upload', () => {
  it('ingests a CSV once: a second upload of the same file adds nothing', async () => {
    const first = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(CSV));
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ dataset: 'synth', file: 'synthetic.csv', rows: ROWS, ingested: ROWS, duplicates: 0, rejected: 0, rejectsFile: false });
    const again = await json(t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(CSV)));
    expect(again).toMatchObject({ rows: ROWS, ingested: 0, duplicates: ROWS });
    const { datasets } = await json<{ datasets: { dataset: string; incidents: number; tz: string; categories: { category: string }[] }[] }>(t.call('viewer', 'GET', '/api/datasets'));
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ dataset: 'synth', incidents: ROWS, tz: 'America/Chicago' });
    expect(datasets[0].categories.map((c) => c.category).sort()).toEqual(['BURGLARY', 'THEFT']);
  });

  it('keeps bad rows aside with their reasons (never echoing the rows)', async () => {
    const bad = 'id,time,lat,lon,category\nB1,2024-02-01 10:00:00,41.8,-87.7,THEFT\nB2,not a time,41.8,-87.7,THEFT\nB3,2024-02-01 11:00:00,91.5,-87.7,THEFT\n';
    const r = await json<{ rows: number; ingested: number; rejected: number; rejectsByReason: Record<string, number>; rejectsFile: boolean }>(t.call('analyst', 'POST', '/api/datasets/bad/upload', uploadForm(bad, 'bad.csv')));
    expect(r).toMatchObject({ rows: 3, ingested: 1, rejected: 2, rejectsFile: true });
    expect(Object.values(r.rejectsByReason).reduce((a, b) => a + b, 0)).toBe(2);
    expect(JSON.stringify(r)).not.toContain('not a time');
  });

  it('answers bad uploads with 4xx and how to fix them', async () => {
    const noFile = new FormData();
    noFile.append('tz', 'UTC');
    let r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', noFile);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'no file in the form', hint: 'send the file in a field named "file"' });
    r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', 'id,time', { 'content-type': 'text/csv' });
    expect(r.status).toBe(415);
    r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(CSV, 'x.csv', { preset: 'atlantis' }));
    expect(r.status).toBe(400);
    expect((await json(r)).error).toBe('unknown preset "atlantis"');
    r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(CSV, 'x.csv', { colour: 'red' }));
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/bad upload options/);
    r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(CSV, 'x.csv', { categoryCol: 'offence' }));
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/offence/);
    const noTz = uploadForm(CSV, 'x.csv');
    noTz.delete('tz');
    r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', noTz);
    expect(r.status).toBe(400);
    // the hint names the form field an upload sets, not the CLI flag it cannot pass
    const tzAnswer = await json(r);
    expect(tzAnswer).toMatchObject({ error: 'no time zone for the local times in this file', hint: 'give "tz" with an IANA zone (e.g. tz=America/Chicago) or use a "preset"' });
    expect(tzAnswer.hint).not.toMatch(/--/);
    r = await t.call('analyst', 'POST', '/api/datasets/bad%20name/upload', uploadForm(CSV));
    expect(r.status).toBe(400);
  });

  it('refuses uploads over the size limit with 413', async () => {
    const s = await startTestService({ maxUploadBytes: 1000 });
    try {
      const r = await s.call('analyst', 'POST', '/api/datasets/big/upload', uploadForm(CSV));
      expect(r.status).toBe(413);
    } finally { await s.close(); }
  });
});

describe('real-time incidents', () => {
  const incidents = [
    { id: 'L1', time: '2024-03-05 09:15:00', lat: 41.801, lon: -87.701, category: 'THEFT' },
    { id: 'L2', time: '2024-03-05 10:40:00', lat: 41.829, lon: -87.661, category: 'BURGLARY' },
  ];
  it('adds posted incidents once, with the dataset\'s zone', async () => {
    expect(await json(t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents }))).toMatchObject({ rows: 2, ingested: 2, duplicates: 0 });
    expect(await json(t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents }))).toMatchObject({ rows: 2, ingested: 0, duplicates: 2 });
    type Info = { dataset: string; incidents: number; to: string; bbox: number[]; coarsened?: string };
    const { datasets } = await json<{ datasets: Info[] }>(t.call('analyst', 'GET', '/api/datasets'));
    const synth = datasets.find((d) => d.dataset === 'synth')!;
    expect(synth.incidents).toBe(ROWS + 2);
    expect(synth.to).toBe('2024-03-05T16:40:00.000Z'); // 10:40 Chicago standard time
    // a viewer gets the last incident's date and the extent rounded outward to 0.01°, not exact coordinates
    const v = (await json<{ datasets: Info[] }>(t.call('viewer', 'GET', '/api/datasets'))).datasets.find((d) => d.dataset === 'synth')!;
    expect(v).toMatchObject({ incidents: ROWS + 2, to: '2024-03-05', coarsened: expect.stringMatching(/0\.01°/) });
    v.bbox.forEach((x, i) => {
      expect(Math.abs(x * 100 - Math.round(x * 100))).toBeLessThan(1e-9);
      expect(i < 2 ? x <= synth.bbox[i] : x >= synth.bbox[i]).toBe(true);
    });
  });

  it('answers bad records with 400 naming the field', async () => {
    let r = await t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents: [{ ...incidents[0], lat: 'north' }] });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/incidents\.0\.lat/);
    r = await t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents: [] });
    expect(r.status).toBe(400);
    r = await t.call('analyst', 'POST', '/api/datasets/fresh/incidents', { incidents });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'dataset "fresh" is new: say which time zone the times are in' });
    r = await t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents: [incidents[0], { ...incidents[1], id: undefined }] });
    expect(r.status).toBe(400);
    // a record the reader rejects is counted as a reject, like a bad row in a file
    expect(await json(t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents: [{ id: 'L3', time: '2024-13-45 99:00', lat: 41.8, lon: -87.7, category: 'THEFT' }] }))).toMatchObject({ ingested: 0, rejected: 1 });
  });
});

describe('incident points', () => {
  it('gives analysts GeoJSON points and writes who, what and how many to the access log, not the records', async () => {
    const r = await json<{ features: { id: string; geometry: { coordinates: number[] }; properties: { time: string; category: string } }[]; crimecast: { total: number; returned: number; truncated: boolean } }>(
      t.call('analyst', 'GET', '/api/datasets/synth/incidents?from=2024-02-01&to=2024-02-07&limit=50'));
    expect(r.crimecast.returned).toBe(50);
    expect(r.crimecast.total).toBeGreaterThan(50);
    expect(r.crimecast.truncated).toBe(true);
    for (const f of r.features) {
      expect(f.properties.time >= '2024-02-01T06:00:00.000Z' && f.properties.time < '2024-02-08T06:00:00.000Z').toBe(true);
      expect(['THEFT', 'BURGLARY']).toContain(f.properties.category);
    }
    const log = readFileSync(join(t.dir, 'serve', 'access-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // uploads and posted incidents are logged as well, with the number of new incidents
    expect(log.filter((e) => e.action === 'incidents.upload' && e.dataset === 'synth').map((e) => e.records)).toEqual([ROWS, 0]);
    expect(log.filter((e) => e.action === 'incidents.post' && e.dataset === 'synth').map((e) => e.records)).toEqual([2, 0, 0]);
    expect(log.at(-1)).toMatchObject({ user: 'ana', role: 'analyst', action: 'incidents.read', dataset: 'synth', records: 50, query: { from: '2024-02-01', to: '2024-02-07', limit: 50 } });
    const text = JSON.stringify(log);
    for (const f of r.features) {
      expect(text).not.toContain(f.id);
      expect(text).not.toContain(String(f.geometry.coordinates[1]));
    }
    const viaApi = await json<{ entries: { action: string }[] }>(t.call('admin', 'GET', '/api/access-log?limit=5'));
    expect(viaApi.entries[0].action).toBe('incidents.read');
  });

  it('refuses viewers, and a refused call is not data access', async () => {
    const before = readFileSync(join(t.dir, 'serve', 'access-log.jsonl'), 'utf8');
    const r = await t.call('viewer', 'GET', '/api/datasets/synth/incidents');
    expect(r.status).toBe(403);
    expect(readFileSync(join(t.dir, 'serve', 'access-log.jsonl'), 'utf8')).toBe(before);
  });

  it('answers bad queries and unknown datasets with 4xx', async () => {
    expect((await t.call('analyst', 'GET', '/api/datasets/synth/incidents?limit=0')).status).toBe(400);
    expect((await t.call('analyst', 'GET', '/api/datasets/synth/incidents?colour=red')).status).toBe(400);
    const r = await t.call('analyst', 'GET', '/api/datasets/nowhere/incidents');
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: 'no dataset "nowhere"', hint: expect.stringMatching(/synth/) });
    const bad = await t.call('analyst', 'GET', '/api/datasets/synth/incidents?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatch(/bad from time "yesterday"/);
  });
});

describe('units and models', () => {
  it('lays a metre grid over a dataset', async () => {
    const fc = await json<{ features: { properties: { id: string; area_m2: number } }[] }>(t.call('viewer', 'GET', '/api/units?dataset=synth&units=grid:1000'));
    expect(fc.features.length).toBeGreaterThan(50);
    for (const f of fc.features) expect(f.properties.area_m2).toBeCloseTo(1e6, -2);
  });

  it('refuses unit specs that would read server files or build huge grids', async () => {
    let r = await t.call('viewer', 'GET', '/api/units?dataset=synth&units=polygons:/etc/passwd');
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/grid:METRES/);
    r = await t.call('viewer', 'GET', '/api/units?dataset=synth&units=grid:5');
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/50–50000 m/);
  });

  it('lists the registered models with their defaults', async () => {
    const { models } = await json<{ models: { name: string; family: string; params: Record<string, unknown> }[] }>(t.call('viewer', 'GET', '/api/models'));
    expect(models.find((m) => m.name === 'moving-average')).toMatchObject({ family: 'baseline', params: { window: expect.any(Number) } });
    expect(models.length).toBeGreaterThan(10);
  });
});
