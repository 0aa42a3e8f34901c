/**
 * Issue 20 item 10: hostile input to the API gets a 4xx that says what to fix, never a 500, never the file's
 * contents back; unknown API keys and failed sign-ins are rate limited without one client locking out everyone
 * behind a proxy; the store's write-ahead log is owner-only; incident answers are never cached.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/serve/server.js';
import { uploadFileName } from '../../src/serve/routes/data.js';
import { PASSWORD, startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
  expect((await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 20 })))).status).toBe(200);
});
afterAll(async () => { await t?.close(); });

const body = async (r: Response) => ({ status: r.status, ...(await r.json() as { error: string; hint?: string }) });
const raw = (path: string, init: RequestInit & { headers?: Record<string, string> }) =>
  Promise.resolve(t.service.app.request(path, { ...init, headers: { authorization: `Bearer ${t.keys.analyst}`, ...init.headers } }));

describe('malformed requests are 4xx', () => {
  it('answers malformed multipart bodies with 400', async () => {
    const truncated = '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid,time';
    for (const [ct, b] of [['multipart/form-data; boundary=XYZ', truncated], ['multipart/form-data', 'no boundary at all']]) {
      expect(await body(await raw('/api/datasets/synth/upload', { method: 'POST', headers: { 'content-type': ct }, body: b }))).toEqual({
        status: 400, error: 'the multipart body is malformed', hint: expect.stringMatching(/multipart\/form-data/),
      });
    }
  });

  it('stores odd file names (".", "..", NUL, paths) under a safe name inside the upload folder', async () => {
    expect(['.', '..', '', 'a\u0000b.csv', '../../etc/passwd.csv', '..\\..\\x.csv', '...csv', '.hidden.csv'].map(uploadFileName))
      .toEqual(['upload', 'upload', 'upload', 'a_b.csv', 'passwd.csv', 'x.csv', 'csv', 'hidden.csv']);
    for (const name of ['.', '..', 'a\u0000b.csv']) {
      const r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 20 }), name));
      expect(r.status, JSON.stringify(name)).toBe(200);
      expect(await r.json()).toMatchObject({ file: uploadFileName(name), ingested: 0 });
    }
  });

  it('answers bad percent-encoding with 4xx, in the API and the dashboard paths', async () => {
    const web = join(t.dir, 'web');
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    const s = await startTestService({ webDir: web });
    try {
      for (const p of ['/%E0%A4%A', '/assets/%FF%FE.js', '/%00.html', '/api/datasets/%E0%A4%A/incidents', '/api/hotspots?dataset=%E0%A4%A', '/api/users/%E0%A4%A']) {
        const r = await s.call('admin', 'GET', p);
        expect(r.status, p).toBeGreaterThanOrEqual(400);
        expect(r.status, p).toBeLessThan(500);
      }
    } finally { await s.close(); }
  });

  it('never echoes file contents in errors: a headerless first line with a name and address, a 200 kB line', async () => {
    const people = 'John Smith,742 Evergreen Terrace,THEFT\nJane Roe,1 Main Street,BURGLARY\n';
    const r = await body(await t.call('analyst', 'POST', '/api/datasets/p/upload', uploadForm(people, 'people.csv')));
    expect(r.status).toBe(400);
    expect(r.error).toMatch(/^people\.csv: .*missing column/);
    const text = JSON.stringify(r);
    for (const secret of ['John', 'Evergreen', 'Jane', 'Main Street', 'crimecast-upload-']) expect(text).not.toContain(secret);
    expect(r.hint).toMatch(/first line is not repeated here/);
    const huge = await body(await t.call('analyst', 'POST', '/api/datasets/p/upload', uploadForm(`${'x'.repeat(200_000)},${'y'.repeat(50)}\n1,2\n`, 'big.csv')));
    expect(huge.status).toBe(400);
    expect(huge.error.length + (huge.hint?.length ?? 0)).toBeLessThan(700);
    expect(JSON.stringify(huge)).not.toContain('xxxxxxxxxx');
  });

  it('bounds JSON bodies at 16 MB (parsed on the event loop), separately from file uploads', async () => {
    const big = JSON.stringify({ tz: 'UTC', incidents: [{ time: '2024-01-01 00:00', lat: 41.8, lon: -87.7, category: 'x'.repeat(17 * 1024 * 1024) }] });
    const r = await body(await t.call('analyst', 'POST', '/api/datasets/synth/incidents', JSON.parse(big)));
    expect(r).toMatchObject({ status: 413, error: `request body over ${16 * 1024 * 1024} bytes` });
  });

  it('refuses preset=__proto__ and other inherited names as unknown presets', async () => {
    for (const preset of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = await body(await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 2 }), 'x.csv', { preset })));
      expect(r, preset).toMatchObject({ status: 400, error: `unknown preset "${preset}"` });
    }
  });

  it('accepts GeoJSON that starts with a UTF-8 byte-order mark', async () => {
    const fc = { type: 'FeatureCollection', features: [0, 1, 2].map((i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [-87.7 + i / 100, 41.8] }, properties: { id: `g${i}`, time: `2024-01-0${i + 1} 10:00:00`, category: 'THEFT' } })) };
    const fd = new FormData();
    fd.append('file', new File([new Uint8Array([0xef, 0xbb, 0xbf]), JSON.stringify(fc)], 'points.geojson'));
    for (const [k, v] of Object.entries({ timeCol: 'time', categoryCol: 'category', idCol: 'id', tz: 'America/Chicago' })) fd.append(k, v);
    const r = await t.call('analyst', 'POST', '/api/datasets/geo/upload', fd);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ rows: 3, ingested: 3, rejected: 0 });
  });
});

describe('rate limits on guessing', () => {
  it('limits unknown API keys per address (each costs a scrypt hash); known keys keep working', async () => {
    const s = await startTestService({ badKeyLimit: { perMinute: 6, burst: 3 } });
    try {
      expect((await s.call('viewer', 'GET', '/api/me')).status).toBe(200); // verified once, then remembered
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await s.call(null, 'GET', '/api/me', undefined, { authorization: `Bearer cck_AAAAAAAA_guess${i}` })).status);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const r = await s.call(null, 'GET', '/api/me', undefined, { 'x-api-key': 'cck_AAAAAAAA_more' });
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await r.json()).toMatchObject({ error: 'too many invalid API keys from this address' });
      expect((await s.call('viewer', 'GET', '/api/me')).status).toBe(200);
    } finally { await s.close(); }
  });

  it('limits failed sign-ins per account and address: one client behind a proxy does not lock out the others', async () => {
    const s = await startTestService({ loginLimit: { perMinute: 6, burst: 2 }, trustProxy: true });
    try {
      // the proxy appends the address it saw; entries before it are the client's to forge
      const signIn = (user: string, password: string, from: string) => s.call(null, 'POST', '/api/session', { user, password }, { 'x-forwarded-for': `203.0.113.9, ${from}` });
      const bad = [];
      for (let i = 0; i < 3; i++) bad.push((await signIn('ana', 'wrong password', '198.51.100.7')).status);
      expect(bad).toEqual([401, 401, 429]);
      // the same account from another client, and another account from the same client, are not locked
      expect((await signIn('ana', PASSWORD, '198.51.100.8')).status).toBe(200);
      expect((await signIn('vic', PASSWORD, '198.51.100.7')).status).toBe(200);
      // a correct password does not help the locked pair, and successes cost nothing
      expect((await signIn('ana', PASSWORD, '198.51.100.7')).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await signIn('root', PASSWORD, '198.51.100.9')).status).toBe(200);
      // per address across accounts: five times the per-account burst
      const spray = [];
      for (const u of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']) for (let i = 0; i < 2; i++) spray.push((await signIn(u, 'wrong password', '198.51.100.10')).status);
      expect(spray.filter((c) => c === 429)).toHaveLength(2);
    } finally { await s.close(); }
  });

  it('ignores X-Forwarded-For unless told the server is behind a proxy', async () => {
    const s = await startTestService({ loginLimit: { perMinute: 6, burst: 2 } });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await s.call(null, 'POST', '/api/session', { user: 'ana', password: 'wrong password' }, { 'x-forwarded-for': `192.0.2.${i}` })).status);
      expect(codes).toEqual([401, 401, 429]);
    } finally { await s.close(); }
  });
});

describe('files, caches and terminals', () => {
  it('keeps the DuckDB write-ahead log owner-only, like the store', () => {
    const wal = join(t.dir, 'store.duckdb.wal');
    expect(statSync(wal).mode & 0o777).toBe(0o600);
    expect(statSync(join(t.dir, 'store.duckdb')).mode & 0o777).toBe(0o600);
  });

  it('marks incident answers (and every API answer) Cache-Control: no-store', async () => {
    for (const [as, p] of [['analyst', '/api/datasets/synth/incidents?limit=5'], ['viewer', '/api/hotspots?dataset=synth&units=grid:1000'], ['viewer', '/api/datasets']] as const) {
      const r = await t.call(as, 'GET', p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('cache-control'), p).toBe('no-store');
    }
  });

  it('strips terminal escape codes from the server\'s log lines (categories and names come from data)', async () => {
    const lines: string[] = [];
    const s = await createService({ store: ':memory:', stateDir: join(t.dir, 'state2'), webDir: null, log: (l) => lines.push(l) });
    try {
      s.ctx.log('retrain failed: unknown category "\u001b[2J\u001b[31mPWNED\u0007"');
      expect(lines).toEqual(['retrain failed: unknown category "\\x1b[2J\\x1b[31mPWNED\\x07"']);
    } finally { await s.close(); }
  });
});
