/** `crimecast serve`'s issue-20 options reach the server: bounds, viewer minimum, trusted proxy, allowed origins, store file modes. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBuild, REPO_ROOT } from '../helpers.js';
import { syntheticCsv } from './synthetic.js';

const CLI = join(REPO_ROOT, 'bin', 'crimecast.js');
const dir = mkdtempSync(join(tmpdir(), 'cc-cli-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = join(dir, 'a.duckdb');

describe.runIf(hasBuild('cli/commands/serve.js'))('crimecast serve options (issue 20)', () => {
  it('refuses bounds below 1 with exit code 2', () => {
    for (const flag of ['--max-cells', '--viewer-min-count']) {
      const r = spawnSync(process.execPath, [CLI, 'serve', '--store', store, flag, '0'], { encoding: 'utf8', env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: 'first admin passphrase' }, timeout: 30_000 });
      expect(r.status, flag).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag} must be at least 1, got "0"`));
    }
  });

  it('serves with the bounds, viewer minimum, proxy and origin it was started with; store files owner-only', async () => {
    const csv = join(dir, 'incidents.csv');
    writeFileSync(csv, syntheticCsv({ days: 10 }));
    const ing = spawnSync(process.execPath, [CLI, 'ingest', csv, '--store', store, '--dataset', 'd', '--time-col', 'time', '--lat-col', 'lat', '--lon-col', 'lon', '--category-col', 'category', '--id-col', 'id', '--tz', 'America/Chicago'], { encoding: 'utf8', timeout: 60_000 });
    expect(ing.status, ing.stderr).toBe(0);
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--store', store, '--no-web', '--max-cells', '30', '--viewer-min-cell', '1000', '--viewer-min-days', '14',
      '--trust-proxy', '--allowed-origin', 'https://dash.example', '--rate-limit', '0'], { env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: 'first admin passphrase' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in ${err}`)), 20_000);
        child.stderr.on('data', () => { const m = /(http:\/\/127\.0\.0\.1:\d+) \(API/.exec(err); if (m) { clearTimeout(timer); resolve(m[1]); } });
      });
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const login = await post('/api/session', { user: 'admin', password: 'first admin passphrase' });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      expect((await post('/api/users', { name: 'vic', password: 'a long viewer password', role: 'viewer' }, { cookie, origin: 'https://dash.example' })).status).toBe(201);
      expect((await post('/api/users', { name: 'eve', password: 'a long viewer password', role: 'admin' }, { cookie, origin: 'https://evil.example' })).status).toBe(403);
      const { key } = await (await post('/api/users/vic/keys', { label: 't' }, { cookie })).json() as { key: string };
      const get = (path: string) => fetch(url + path, { headers: { authorization: `Bearer ${key}` } });
      const fine = await get('/api/units?dataset=d&units=grid:500');
      expect(fine.status).toBe(403);
      expect((await fine.json() as { error: string }).error).toMatch(/viewers see maps of 1000 m cells or coarser/);
      // ten days of data: under the 14-day minimum whatever the window
      const short = await get('/api/hotspots?dataset=d&units=grid:1000');
      expect((await short.json() as { error: string }).error).toMatch(/at least 14 days; this selection covers 10\.0 days/);
      const many = await fetch(`${url}/api/units?dataset=d&units=grid:1000`, { headers: { cookie } });
      expect(many.status).toBe(422);
      expect((await many.json() as { error: string }).error).toMatch(/\(limit 30 per request\)$/);
      // behind the proxy, failed sign-ins count per forwarded address
      const signIn = (from: string) => post('/api/session', { user: 'admin', password: 'wrong password!' }, { 'x-forwarded-for': from });
      for (let i = 0; i < 10; i++) expect((await signIn('198.51.100.1')).status).toBe(401);
      expect((await signIn('198.51.100.1')).status).toBe(429);
      expect((await signIn('198.51.100.2')).status).toBe(401);
      expect(statSync(store).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'serve', 'users.json')).mode & 0o777).toBe(0o600);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
