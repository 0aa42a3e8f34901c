/** `crimecast serve` as a process (the compiled CLI): first-admin bootstrap, flags, start-up retraining, shutdown. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasBuild, REPO_ROOT, requirePrerequisite } from '../helpers.js';

const CLI = join(REPO_ROOT, 'bin', 'crimecast.js');
const dir = mkdtempSync(join(tmpdir(), 'cc-cli-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [CLI, 'serve', '--store', join(dir, 'a.duckdb'), ...args], { encoding: 'utf8', env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: '', ...env }, timeout: 30_000 });

const BUILT = hasBuild('cli/commands/serve.js') && requirePrerequisite('the dashboard build (dist-web/index.html)',
  existsSync(join(REPO_ROOT, 'dist-web', 'index.html')), 'run `npm run build` (`npm test` builds first)');
describe.runIf(BUILT)('crimecast serve', () => {
  it('refuses to start without users, saying how to create the first admin', () => {
    const r = run(['--port', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no users yet: the first admin is created from \$CRIMECAST_ADMIN_PASSWORD/);
    expect(r.stderr).toMatch(/hint: run CRIMECAST_ADMIN_PASSWORD=/);
  });

  it('rejects bad flags with exit code 2', () => {
    expect(run(['--retrain-model', 'persistence']).stderr).toMatch(/--retrain-model and --retrain-dataset go together/);
    expect(run(['--retrain-model', 'persistence', '--retrain-dataset', 'd', '--retrain-every', '5 parsecs']).stderr).toMatch(/interval "5 parsecs"/);
    const tiles = run(['--tiles', 'ftp://x']);
    expect(tiles.status).toBe(2);
    expect(tiles.stderr).toMatch(/--tiles "ftp:\/\/x": give an http\(s\) URL template with \{z\}, \{x\} and \{y\}/);
  });

  it('creates the first admin, serves the API and dashboard, retrains at start-up and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--store', join(dir, 'b.duckdb'), '--retrain-model', 'persistence', '--retrain-dataset', 'missing', '--tiles', 'http://tiles.example/{z}/{x}/{y}.png'],
      { env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: 'first admin passphrase' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in ${err}`)), 20_000);
        child.stderr.on('data', () => { const m = /(http:\/\/127\.0\.0\.1:\d+) \(API/.exec(err); if (m) { clearTimeout(timer); resolve(m[1]); } });
      });
      expect(err).toMatch(/created admin user "admin"/);
      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ ok: true });
      expect(await (await fetch(`${url}/api/config`)).json()).toEqual({ tiles: 'http://tiles.example/{z}/{x}/{y}.png' });
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-security-policy')).toMatch(/img-src 'self' data: blob: http:\/\/tiles\.example;/);
      expect(await page.text()).toMatch(/<script type="module" src="\/assets\/app.js">/);
      const login = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin', password: 'first admin passphrase' }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      // the start-up run failed (no such dataset), was recorded, and nothing was published
      let s: { runs: { outcome: string; error?: string }[] } = { runs: [] };
      for (let i = 0; i < 50 && s.runs.length === 0; i++) {
        s = await (await fetch(`${url}/api/schedule`, { headers: { cookie } })).json() as typeof s;
        if (s.runs.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(s.runs[0]).toMatchObject({ outcome: 'failed', error: 'no dataset "missing"' });
      expect((await fetch(`${url}/api/forecasts/latest`, { headers: { cookie } })).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('says $CRIMECAST_ADMIN_PASSWORD is ignored once users exist, and how to reset', async () => {
    // b.duckdb's first admin (the test above) lives in the folder's serve/users.json
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--store', join(dir, 'b.duckdb')],
      { env: { ...process.env, CRIMECAST_ADMIN_PASSWORD: 'another passphrase' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL in ${err}`)), 20_000);
        child.stderr.on('data', () => { if (/\(API http/.test(err)) { clearTimeout(timer); resolve(); } });
      });
      const users = join(dir, 'serve', 'users.json');
      expect(err).toContain(`$CRIMECAST_ADMIN_PASSWORD is ignored: ${users} already has 1 user(s), and the variable only creates the first admin.`);
      expect(err).toMatch(/delete .*users\.json \(every user and API key is lost\)/);
      expect(err).not.toMatch(/created admin user/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
