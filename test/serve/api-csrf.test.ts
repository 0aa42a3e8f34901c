/**
 * Issue 20 item 9: with only SameSite=Strict, requests carrying Origin: http://evil.example, Sec-Fetch-Site:
 * cross-site and a valid session cookie created an admin, changed the schedule (as text/plain;application/json),
 * posted incidents and uploaded files. Now state-changing cookie requests must be same-origin and JSON must be JSON;
 * API-key clients (which no cross-site page can imitate) are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
let cookie = '';
beforeAll(async () => {
  t = await startTestService({ allowedOrigins: ['https://dashboard.example'] });
  const r = await t.call(null, 'POST', '/api/session', { user: 'root', password: PASSWORD });
  cookie = r.headers.get('set-cookie')!.split(';')[0];
});
afterAll(async () => { await t?.close(); });

const EVIL = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
const SAME = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };
const users = async () => ((await (await t.call('admin', 'GET', '/api/users')).json()) as { users: { name: string }[] }).users.map((u) => u.name);
const newUser = (name: string) => ({ name, password: 'long enough pass', role: 'admin' });

describe('cross-site request forgery', () => {
  it('refuses a cross-site request with a valid admin session cookie that creates an admin (the reproduction)', async () => {
    const r = await t.call(null, 'POST', '/api/users', newUser('mallory'), { cookie, ...EVIL });
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ error: 'cross-site request refused (Sec-Fetch-Site is "cross-site")', hint: expect.stringMatching(/same origin|own origin/) });
    // either header alone is enough to refuse
    for (const h of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }, { origin: 'http://localhost.evil.example' }]) {
      expect((await t.call(null, 'POST', '/api/users', newUser('mallory'), { cookie, ...h })).status, JSON.stringify(h)).toBe(403);
    }
    expect(await users()).not.toContain('mallory');
  });

  it('refuses the other reproductions: schedule as text/plain;application/json, incidents, uploads, deletes, sign-in', async () => {
    const schedule = await t.service.app.request('/api/schedule', { method: 'PUT', headers: { cookie, ...EVIL, 'content-type': 'text/plain;application/json' }, body: JSON.stringify({ intervalMinutes: null }) });
    expect(schedule.status).toBe(403);
    // same origin, but not a JSON media type: a form or no-cors fetch can send that without a preflight
    const plain = await t.service.app.request('/api/schedule', { method: 'PUT', headers: { cookie, ...SAME, 'content-type': 'text/plain;application/json' }, body: JSON.stringify({ intervalMinutes: null }) });
    expect(plain.status).toBe(415);
    const incidents = await t.call(null, 'POST', '/api/datasets/x/incidents', { tz: 'UTC', incidents: [{ time: '2024-01-01 00:00', lat: 41.8, lon: -87.7, category: 'THEFT' }] }, { cookie, ...EVIL });
    expect(incidents.status).toBe(403);
    expect((await t.call(null, 'POST', '/api/datasets/x/upload', uploadForm(syntheticCsv({ days: 2 })), { cookie, ...EVIL })).status).toBe(403);
    expect((await t.call(null, 'DELETE', '/api/users/vic', undefined, { cookie, ...EVIL })).status).toBe(403);
    expect((await t.call(null, 'DELETE', '/api/session', undefined, { cookie, ...EVIL })).status).toBe(403);
    expect((await t.call(null, 'POST', '/api/session', { user: 'root', password: PASSWORD }, EVIL)).status).toBe(403);
    expect(await users()).toContain('vic');
    expect(((await (await t.call('admin', 'GET', '/api/datasets')).json()) as { datasets: unknown[] }).datasets).toHaveLength(0);
  });

  it('lets the dashboard\'s own origin, an allowed origin, and header-less clients through; reads are never refused', async () => {
    expect((await t.call(null, 'POST', '/api/users', newUser('same1'), { cookie, ...SAME })).status).toBe(201);
    expect((await t.call(null, 'POST', '/api/users', newUser('same2'), { cookie, origin: 'https://dashboard.example', 'sec-fetch-site': 'same-site' })).status).toBe(201);
    expect((await t.call(null, 'POST', '/api/users', newUser('same5'), { cookie, origin: 'https://dashboard.example.evil', 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await t.call(null, 'POST', '/api/users', newUser('same3'), { cookie })).status).toBe(201);
    expect((await t.call(null, 'POST', '/api/users', newUser('same4'), { cookie, 'sec-fetch-site': 'none' })).status).toBe(201);
    expect((await t.call(null, 'GET', '/api/me', undefined, { cookie, ...EVIL })).status).toBe(200);
    expect(await users()).toEqual(expect.arrayContaining(['same1', 'same2', 'same3', 'same4']));
  });

  it('leaves API-key clients unaffected, whatever Origin they send', async () => {
    expect((await t.call('admin', 'POST', '/api/users', newUser('keyed'), EVIL)).status).toBe(201);
    expect((await t.call('admin', 'DELETE', '/api/users/keyed', undefined, EVIL)).status).toBe(204);
    // a key client still has to send real JSON
    const plain = await t.service.app.request('/api/users', { method: 'POST', headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'text/plain;application/json' }, body: JSON.stringify(newUser('k2')) });
    expect(plain.status).toBe(415);
    const charset = await t.service.app.request('/api/users', { method: 'POST', headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(newUser('k2')) });
    expect(charset.status).toBe(201);
  });
});
