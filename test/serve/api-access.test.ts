/** Access control of every endpoint (from the OpenAPI document), sessions, API keys, the rate limiter. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestService, type TestService } from './service.js';

let t: TestService;
beforeAll(async () => { t = await startTestService(); });
afterAll(async () => { await t?.close(); });

interface Op { 'x-access': string; 'x-incident-level': boolean; responses: Record<string, unknown> }

describe('access control', () => {
  it('answers 401 to anonymous callers and 403 to roles below the one required, on every endpoint', async () => {
    const doc = await (await t.call(null, 'GET', '/api/openapi.json')).json() as { paths: Record<string, Record<string, Op>> };
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const url = path.replace(/\{(\w+)\}/g, (_, p: string) => (p === 'id' ? '1' : 'synth'));
        if (op['x-access'] === 'public') continue;
        const anon = await t.call(null, method.toUpperCase(), url);
        expect(anon.status, `${method} ${path} anonymous`).toBe(401);
        expect((await anon.json() as { error: string }).error).toMatch(/not signed in/);
        const below = op['x-access'] === 'admin' ? ['viewer', 'analyst'] as const : op['x-access'] === 'analyst' ? ['viewer'] as const : [];
        for (const role of below) {
          const r = await t.call(role, method.toUpperCase(), url);
          expect(r.status, `${method} ${path} as ${role}`).toBe(403);
          expect((await r.json() as { error: string }).error).toMatch(new RegExp(`needs the ${op['x-access']} role; you are ${role}`));
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(25);
    // incident-level endpoints are for analysts and above, and are marked so in the document
    const incidentLevel = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).filter((op) => op['x-incident-level']);
    expect(incidentLevel.length).toBeGreaterThan(0);
    for (const op of incidentLevel) expect(['analyst', 'admin']).toContain(op['x-access']);
  });

  it('keeps only scrypt hashes of passwords and keys; a wrong or revoked key gets 401', async () => {
    const stored = readFileSync(join(t.dir, 'serve', 'users.json'), 'utf8');
    expect(stored).not.toContain(PASSWORD);
    // keys are cck_<id>_<secret> with a 32-character base64url secret, which may itself hold '_' (splitting on
    // '_' then tested a one-letter fragment and failed at random)
    for (const key of Object.values(t.keys)) expect(stored).not.toContain(key.slice(-32));
    expect(stored.match(/"scrypt\$16384\$8\$1\$/g)!.length).toBe(6); // 3 passwords + 3 keys
    expect((await t.call(null, 'GET', '/api/me', undefined, { authorization: `Bearer ${t.keys.viewer}x` })).status).toBe(401);
    const made = await (await t.call('admin', 'POST', '/api/users/vic/keys', { label: 'temp' })).json() as { id: string; key: string };
    const me = await t.call(null, 'GET', '/api/me', undefined, { 'x-api-key': made.key });
    expect(await me.json()).toEqual({ name: 'vic', role: 'viewer', via: 'key' });
    expect((await t.call('admin', 'DELETE', `/api/users/vic/keys/${made.id}`)).status).toBe(204);
    const after = await t.call(null, 'GET', '/api/me', undefined, { 'x-api-key': made.key });
    expect(after.status).toBe(401);
    expect((await after.json() as { error: string }).error).toBe('invalid API key');
  });

  it('signs in with a session cookie (HttpOnly, SameSite=Strict) and signs out', async () => {
    const bad = await t.call(null, 'POST', '/api/session', { user: 'ana', password: 'not the password' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'wrong user name or password' });
    const ok = await t.call(null, 'POST', '/api/session', { user: 'ana', password: PASSWORD });
    expect(ok.status).toBe(200);
    const set = ok.headers.get('set-cookie')!;
    expect(set).toMatch(/cc_session=[\w-]{43}/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const cookie = set.split(';')[0];
    expect(await (await t.call(null, 'GET', '/api/me', undefined, { cookie })).json()).toEqual({ name: 'ana', role: 'analyst', via: 'session' });
    expect((await t.call(null, 'DELETE', '/api/session', undefined, { cookie })).status).toBe(204);
    expect((await t.call(null, 'GET', '/api/me', undefined, { cookie })).status).toBe(401);
  });

  it('validates sign-in input', async () => {
    const r = await t.call(null, 'POST', '/api/session', { user: 'ana' });
    expect(r.status).toBe(400);
    expect((await r.json() as { error: string }).error).toMatch(/^bad body: password:/);
    const notJson = await t.call(null, 'POST', '/api/session', 'user=ana', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    const broken = await t.service.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'the body is not valid JSON' });
  });

  it('manages users: validation, conflicts, removal ends the user\'s access', async () => {
    const short = await t.call('admin', 'POST', '/api/users', { name: 'new1', password: 'short', role: 'viewer' });
    expect(short.status).toBe(400);
    expect((await short.json() as { error: string }).error).toMatch(/password/);
    expect((await t.call('admin', 'POST', '/api/users', { name: 'new1', password: 'long enough pass', role: 'chief' })).status).toBe(400);
    expect((await t.call('admin', 'POST', '/api/users', { name: 'bad name!', password: 'long enough pass', role: 'viewer' })).status).toBe(400);
    const made = await t.call('admin', 'POST', '/api/users', { name: 'new1', password: 'long enough pass', role: 'viewer' });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ name: 'new1', role: 'viewer', keys: [] });
    expect((await t.call('admin', 'POST', '/api/users', { name: 'new1', password: 'long enough pass', role: 'viewer' })).status).toBe(409);
    const key = (await (await t.call('admin', 'POST', '/api/users/new1/keys', { label: 'k' })).json() as { key: string }).key;
    expect((await t.call(null, 'GET', '/api/me', undefined, { 'x-api-key': key })).status).toBe(200);
    const list = await (await t.call('admin', 'GET', '/api/users')).json() as { users: { name: string; keys: unknown[] }[] };
    expect(list.users.map((u) => u.name)).toEqual(['ana', 'new1', 'root', 'vic']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt/);
    expect((await t.call('admin', 'DELETE', '/api/users/new1')).status).toBe(204);
    expect((await t.call(null, 'GET', '/api/me', undefined, { 'x-api-key': key })).status).toBe(401);
    expect((await t.call('admin', 'DELETE', '/api/users/new1')).status).toBe(404);
    const self = await t.call('admin', 'DELETE', '/api/users/root');
    expect(self.status).toBe(409);
    expect((await self.json() as { error: string }).error).toBe('you cannot remove yourself');
  });

  it('answers unknown endpoints with a JSON 404 naming the OpenAPI document', async () => {
    const r = await t.call('viewer', 'GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'no such endpoint: GET /api/nope', hint: 'GET /api/openapi.json lists the endpoints' });
  });

  it('publishes an OpenAPI 3.1 document with schemas for request bodies and query parameters', async () => {
    const doc = await (await t.call(null, 'GET', '/api/openapi.json')).json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }; parameters: { name: string; in: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    const bt = doc.paths['/api/backtests'].post.requestBody!.content['application/json'].schema;
    expect(Object.keys(bt.properties!)).toEqual(expect.arrayContaining(['dataset', 'models', 'testFrom', 'units', 'period', 'horizon', 'bootstrap']));
    expect(doc.paths['/api/datasets/{name}/upload'].post.requestBody!.content['multipart/form-data']).toBeDefined();
    expect(doc.paths['/api/hotspots'].get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['dataset', 'units', 'method']));
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the burst, per user; sign-in attempts are limited per address', async () => {
    const s = await startTestService({ rateLimit: { perMinute: 60, burst: 3 }, loginLimit: { perMinute: 6, burst: 2 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await s.call('viewer', 'GET', '/api/me')).status);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await s.call('viewer', 'GET', '/api/me');
      expect(r.headers.get('retry-after')).toBe('1');
      // another user has a bucket of their own
      expect((await s.call('analyst', 'GET', '/api/me')).status).toBe(200);
      const logins = [];
      for (let i = 0; i < 3; i++) logins.push((await s.call(null, 'POST', '/api/session', { user: 'ana', password: 'wrong password' })).status);
      expect(logins).toEqual([401, 401, 429]);
    } finally {
      await s.close();
    }
  });
});

describe('dashboard files and headers', () => {
  it('serves the bundle with its types, falls back to index.html, never leaves the folder, and sets security headers', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const web = join(t.dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>cc</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'export {};');
    const s = await startTestService({ webDir: web });
    try {
      const index = await s.call(null, 'GET', '/');
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toBe('<!doctype html><title>cc</title>');
      expect(index.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'");
      expect(index.headers.get('x-content-type-options')).toBe('nosniff');
      const js = await s.call(null, 'GET', '/assets/app.js');
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await (await s.call(null, 'GET', '/backtests/anything')).text()).toBe('<!doctype html><title>cc</title>');
      for (const p of ['/assets/..%2f..%2fusers.json', '/..%2fserve%2fusers.json', '/%2e%2e/serve/users.json']) {
        const r = await s.call(null, 'GET', p);
        expect(await r.text(), p).not.toMatch(/scrypt/);
      }
      const api404 = await s.call(null, 'GET', '/api/nothing-here');
      expect(api404.headers.get('content-type')).toMatch(/application\/json/);
      // API answers and errors carry the headers too
      const err = await s.call(null, 'GET', '/api/me');
      expect(err.status).toBe(401);
      expect(err.headers.get('x-frame-options')).toBe('DENY');
    } finally { await s.close(); }
  });
});
