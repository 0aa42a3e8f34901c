/**
 * The dashboard in a real browser (Debian chromium driven by playwright-core, headless, no network but loopback):
 * an analyst signs in, uploads a synthetic CSV, runs a backtest, publishes a forecast and sees the map (with hot-spot
 * and incident layers and an area's time series), the leaderboard, an allocation and an audit; a viewer sees the
 * aggregated map but cannot reach incident-level endpoints. Screenshots go to test-artifacts/.
 *
 * Without /usr/bin/chromium (or $CRIMECAST_CHROMIUM) the test is skipped, saying so; under CRIMECAST_REQUIRE_ALL=1 / CI it
 * fails (test/helpers.ts requirePrerequisite).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { buildWeb } from '../../web/build.mjs';
import { createService, listen, type Service } from '../../src/serve/server.js';
import { REPO_ROOT, requirePrerequisite } from '../helpers.js';
import { PASSWORD } from './service.js';
import { syntheticCsv } from './synthetic.js';

const CHROMIUM = process.env.CRIMECAST_CHROMIUM ?? '/usr/bin/chromium';
const HAVE = requirePrerequisite(`the Chromium browser (${CHROMIUM})`, existsSync(CHROMIUM),
  "apt-get install -y chromium (.ci/apt-packages.txt lists it), or point $CRIMECAST_CHROMIUM at a Chromium binary");
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

describe.runIf(HAVE)('dashboard in chromium', () => {
  let dir: string, service: Service, http: Awaited<ReturnType<typeof listen>>, context: BrowserContext, page: Page;
  const offsite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-browser-'));
    const web = await buildWeb(join(dir, 'web')) as string;
    service = await createService({ store: join(dir, 'store.duckdb'), webDir: web, threads: false, log: () => {} });
    await service.ctx.users.create('ana', PASSWORD, 'analyst');
    await service.ctx.users.create('vic', PASSWORD, 'viewer');
    http = await listen(service, 0, '127.0.0.1');
    mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 1000 }, timezoneId: 'America/Chicago', // the upload form's zone
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (r) => { if (!r.url().startsWith(http.url) && !/^(data|blob):/.test(r.url())) offsite.push(r.url()); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
    await http?.close();
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function signIn(user: string) {
    await page.goto(http.url + '/');
    await page.fill('#login-user', user);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#who');
  }

  it('lets an analyst upload, backtest, publish and map a forecast', async () => {
    await page.goto(http.url + '/');
    await page.waitForSelector('#login-user');
    await page.fill('#login-user', 'ana');
    await page.fill('#login-password', 'wrong password!');
    await page.click('#login-submit');
    await expect.poll(() => page.textContent('#login-status')).toMatch(/wrong user name or password/);
    await shot('01-login');
    await signIn('ana');
    expect(await page.textContent('#who')).toBe('ana (analyst)');

    // upload
    await page.click('a[data-view=data]');
    const csv = syntheticCsv({ days: 70 });
    const rows = csv.trim().split('\n').length - 1;
    await page.fill('#upload-dataset', 'synth');
    await page.setInputFiles('#upload-file', { name: 'synthetic.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#upload-run');
    await expect.poll(() => page.textContent('#upload-status')).toBe(`${rows} rows: ${rows} new, 0 already stored, 0 rejected`);
    await page.waitForSelector('#datasets td:text("synth")');
    await shot('02-data');

    // backtest
    await page.click('a[data-view=backtests]');
    await page.fill('#bt-units', 'grid:1000');
    await page.fill('#bt-models', 'moving-average:window=28\npersistence');
    await page.fill('#bt-test-from', '2024-02-26');
    await page.click('#bt-run');
    await page.waitForSelector('#leaderboard-table');
    const header = await page.$$eval('#leaderboard-table th', (th) => th.map((x) => x.textContent));
    expect(header).toEqual(['metric', 'moving-average:window=28', 'persistence']);
    const maeRow = await page.$$eval('#leaderboard-table tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)).find((r) => r[0]?.startsWith('MAE/all')));
    expect(maeRow![1]).toMatch(/^\d+\.\d{3} \[\d+\.\d{3}, \d+\.\d{3}\] ★$/); // the moving average wins on MAE
    expect(await page.locator('#hitrate-chart canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('#backtest-status')).toMatch(/14 test periods from 2024-02-26/);
    await shot('03-backtest-leaderboard');

    // forecast map
    await page.click('a[data-view=forecast]');
    await page.fill('#publish-units', 'grid:1000');
    await page.click('#publish-run');
    await page.waitForSelector('#forecast-map[data-ready=true]');
    const regions = (await (await fetch(`${http.url}/api/forecasts/latest`, { headers: { cookie: await cookieHeader() } })).json() as { features: unknown[] }).features.length;
    expect(await page.locator('#forecast-map path.region').count()).toBe(regions);
    const at5 = await page.textContent('#coverage-label');
    await page.fill('#coverage', '15');
    await expect.poll(() => page.textContent('#coverage-label')).not.toBe(at5);
    expect(await page.textContent('#coverage-label')).toMatch(/^\d+ areas flagged, \d+\.\d% of expected incidents$/);
    // an area's time series
    await page.locator('#forecast-map path.region').nth(Math.floor(regions / 2)).click();
    await page.waitForSelector('#series-chart canvas');
    expect(await page.textContent('#series-chart')).toMatch(/^Area r\d+c\d+: observed per day and forecast/);
    await page.check('#layer-hotspots');
    await page.waitForSelector('#forecast-map[data-hotspots]');
    expect(Number(await page.getAttribute('#forecast-map', 'data-hotspots'))).toBeGreaterThan(0);
    await page.check('#layer-incidents');
    await page.waitForSelector('#forecast-map[data-incidents]');
    expect(Number(await page.getAttribute('#forecast-map', 'data-incidents'))).toBeGreaterThan(100);
    await shot('04-forecast-map');
  });

  it('lets an analyst allocate patrols and audit a model', async () => {
    await page.click('a[data-view=allocation]');
    await page.fill('#alloc-budget', '15');
    await page.click('#alloc-run');
    await page.waitForSelector('#allocation-map[data-ready=true]');
    expect(await page.textContent('#allocation-status')).toMatch(/15 dosage units by greedy; expected incidents covered/);
    await shot('05-allocation');

    const units = await (await fetch(`${http.url}/api/units?dataset=synth&units=grid:1000`, { headers: { cookie: await cookieHeader() } })).json() as { features: { properties: { id: string }; geometry: { coordinates: number[][][] } }[] };
    const csv = ['region,West,East', ...units.features.map((f) => `${f.properties.id},${f.geometry.coordinates[0][0][0] < -87.675 ? 800 : 0},${f.geometry.coordinates[0][0][0] < -87.675 ? 0 : 800}`)].join('\n');
    await page.click('a[data-view=audit]');
    // the template names every area of the backtest (ids only CrimeCast knows) with its centroid
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-template')]);
    const template = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(template[0]).toBe('region,centroid_lat,centroid_lon,GroupA,GroupB');
    expect(template.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(units.features.map((f) => f.properties.id).sort());
    await page.fill('#audit-groups', csv);
    await page.click('#audit-run');
    await page.waitForSelector('#audit-groups-table');
    expect(await page.$$eval('#audit-groups-table tbody td:first-child', (td) => td.map((x) => x.textContent))).toEqual(['West', 'East']);
    expect(await page.textContent('#model-card')).toMatch(/Intended use/);
    await page.waitForSelector('#audit-map .leaflet-overlay-pane path');
    await shot('06-audit-model-card');
  });

  it('shows a viewer the aggregated map but no incident-level data', async () => {
    await page.click('#logout');
    await signIn('vic');
    await page.waitForSelector('#forecast-map[data-ready=true]');
    expect(await page.locator('#layer-incidents').count()).toBe(0);
    expect(await page.locator('#publish-run').count()).toBe(0);
    expect(await page.locator('a[data-view=admin]').count()).toBe(0);
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/datasets/synth/incidents');
      return [r.status, (await r.json()).error];
    });
    expect(status).toEqual([403, 'incident points needs the analyst role; you are viewer']);
    const upload = await page.evaluate(async () => (await fetch('/api/datasets/synth/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"incidents": []}' })).status);
    expect(upload).toBe(403);
    await shot('07-viewer-forecast');
    await page.click('a[data-view=backtests]');
    await page.waitForSelector('#leaderboard-table');
    expect(await page.locator('#bt-run').count()).toBe(0);
  });

  it('loaded nothing from outside the server and raised no script errors', () => {
    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function cookieHeader(): Promise<string> {
    return (await context.cookies(http.url)).map((c) => `${c.name}=${c.value}`).join('; ');
  }
});
