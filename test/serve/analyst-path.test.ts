/**
 * The analyst's path through the dashboard in Chromium, on a fresh store (issue 19 "Done means"): sign in → upload an
 * own-data CSV (made-up city, its own column names and time zone) → backtest with the form's defaults, watching the
 * progress and then the result → the report (summary first, map with legend) → publish the recommended model's
 * forecast → restart the server on the same store → the backtest and forecast are still listed → download the
 * forecast as GeoPackage, Shapefile and CSV through the dashboard's buttons and read each back.
 *
 * Screenshots go to test-artifacts/. Without Chromium the test is skipped saying so, and fails under CI
 * (requirePrerequisite, as browser.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build script without type declarations
import { buildWeb } from '../../web/build.mjs';
import { createService, listen, type Service } from '../../src/serve/server.js';
import { Rng } from '../../src/util/rng.js';
import { REPO_ROOT, requirePrerequisite } from '../helpers.js';
import { PASSWORD } from './service.js';

const CHROMIUM = process.env.CRIMECAST_CHROMIUM ?? '/usr/bin/chromium';
const HAVE = requirePrerequisite(`the Chromium browser (${CHROMIUM})`, existsSync(CHROMIUM),
  "apt-get install -y chromium (.ci/apt-packages.txt lists it), or point $CRIMECAST_CHROMIUM at a Chromium binary");
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

/**
 * An own-data export as a records system might write it: its own column names, local times in Europe/Berlin, a
 * made-up city around 51.05 N 13.74 E, two hot spots over a uniform background; seeded, ~3,000 rows over 120 days.
 */
function ownDataCsv(): string {
  const rng = new Rng(19);
  const lines = ['incident_no,occurred_local,latitude,longitude,offence'];
  const spots = [[51.052, 13.735], [51.041, 13.760]];
  let n = 0;
  for (let day = 0; day < 120; day++) {
    const date = new Date(Date.UTC(2024, 0, 8 + day)).toISOString().slice(0, 10);
    const k = rng.poisson(25);
    for (let i = 0; i < k; i++) {
      const [lat, lon] = rng.random() < 0.6
        ? (([a, b]) => [a + rng.normal(0, 0.003), b + rng.normal(0, 0.004)])(spots[rng.int(spots.length)])
        : [51.025 + rng.random() * 0.045, 13.70 + rng.random() * 0.09];
      // evenings busier than mornings, so the hour-of-week table has a shape
      let hour = rng.random() < 0.5 ? 17 + rng.int(7) : rng.int(24);
      if (date === '2024-03-31' && hour === 2) hour = 3; // 02:xx does not exist that night (summer time starts)
      const time = `${date} ${String(hour).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')}:00`;
      lines.push([`DD-${++n}`, time, lat.toFixed(6), lon.toFixed(6), rng.random() < 0.55 ? 'Bike theft' : 'Car break-in'].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** Hour × weekday counts (Monday first) straight from the CSV's local times, for one category and date range. */
function expectedWeekHours(csv: string, category: string, from: string, to: string): number[] {
  const counts = new Array(7 * 24).fill(0);
  for (const line of csv.trim().split('\n').slice(1)) {
    const [, time, , , cat] = line.split(',');
    const date = time.slice(0, 10);
    if (cat !== category || date < from || date > to) continue;
    const day = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    counts[day * 24 + Number(time.slice(11, 13))]++;
  }
  return counts;
}

/** File names in a zip's local file headers (enough to see a zipped Shapefile's parts). */
function zipNames(b: Buffer): string[] {
  const names: string[] = [];
  for (let o = 0; o + 30 <= b.length && b.readUInt32LE(o) === 0x04034b50;) {
    const size = b.readUInt32LE(o + 18), nameLen = b.readUInt16LE(o + 26), extraLen = b.readUInt16LE(o + 28);
    names.push(b.subarray(o + 30, o + 30 + nameLen).toString('utf8'));
    o += 30 + nameLen + extraLen + size;
  }
  return names;
}

describe.runIf(HAVE)('the analyst path in chromium', () => {
  let dir: string, web: string, service: Service, http: Awaited<ReturnType<typeof listen>>, context: BrowserContext, page: Page;
  const pageErrors: string[] = [], consoleErrors: string[] = [];
  const polled: { status: string; progress: number }[] = [];
  let csvRows = 0, csvText = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-analyst-'));
    web = await buildWeb(join(dir, 'web')) as string;
    service = await createService({ store: join(dir, 'store.duckdb'), webDir: web, threads: false, log: (l) => { if (/error/i.test(l)) console.log('server:', l); } });
    await service.ctx.users.create('ana', PASSWORD, 'analyst');
    http = await listen(service, 0, '127.0.0.1');
    mkdirSync(ARTIFACTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 1000 }, timezoneId: 'Europe/Berlin', acceptDownloads: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.text()} ${new URL(m.location().url).pathname}`); });
    page.on('response', async (r) => {
      // the start (POST /api/backtests) and every poll of the job (GET /api/backtests/ID)
      const path = new URL(r.url()).pathname, method = r.request().method();
      if (!(method === 'POST' && path === '/api/backtests') && !(method === 'GET' && /^\/api\/backtests\/[^/]+$/.test(path))) return;
      const j = await r.json().catch(() => null) as { status: string; progress: number } | null;
      if (j) polled.push({ status: j.status, progress: j.progress });
    });
  });

  afterAll(async () => {
    await context?.close();
    await http?.close();
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string, fullPage = true) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });

  async function signIn() {
    await page.goto(http.url + '/');
    await page.fill('#login-user', 'ana');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#who');
  }

  /** Downloads the forecast on the Forecast tab as GeoPackage, Shapefile and CSV through its buttons and reads each back. */
  async function downloadAndRead(): Promise<void> {
    await page.click('a[data-view=forecast]');
    await page.waitForSelector('#forecast-map[data-ready=true]');
    const fetchFile = async (id: string) => {
      // a failed export would only show as a "canceled" download: ask the link's URL first, to fail with the server's words
      const href = (await page.getAttribute(id, 'href'))!;
      expect(await page.evaluate(async (u) => { const r = await fetch(u); return r.ok ? 'ok' : `${r.status} ${await r.text()}`; }, href), href).toBe('ok');
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      return { name: d.suggestedFilename(), bytes: readFileSync(path) };
    };
    const regions = await page.locator('#forecast-map path.region').count();

    const gpkg = await fetchFile('#download-gpkg');
    expect(gpkg.name).toMatch(/\.gpkg$/);
    const SQL = await (createRequire(import.meta.url)('sql.js') as () => Promise<{ Database: new (b: Uint8Array) => { exec(q: string): { columns: string[]; values: unknown[][] }[] } }>)();
    const db = new SQL.Database(new Uint8Array(gpkg.bytes));
    expect(db.exec('PRAGMA application_id')[0].values[0][0]).toBe(0x47504b47);
    const table = db.exec("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")[0].values[0][0] as string;
    const rows = db.exec(`SELECT id, period_start, period_unit, expected_per_period, centroid_lat, centroid_lon FROM "${table}"`)[0].values;
    expect(rows).toHaveLength(regions);
    expect(rows[0][1]).toMatch(/^2024-\d\d-\d\dT00:00:00\+0[12]:00$/); // Berlin local time
    expect(rows[0][2]).toBe('day');
    expect(rows.every((r) => Number(r[4]) > 51 && Number(r[4]) < 51.1 && Number(r[5]) > 13.6 && Number(r[5]) < 13.9)).toBe(true);

    const shp = await fetchFile('#download-shp');
    expect(shp.bytes.length).toBeGreaterThan(1000);
    const parts = zipNames(shp.bytes).map((n) => n.slice(n.lastIndexOf('.')));
    expect(parts).toEqual(expect.arrayContaining(['.shp', '.shx', '.dbf', '.prj']));

    const csv = await fetchFile('#download-csv');
    const lines = csv.bytes.toString('utf8').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['period_start', 'period_end', 'period_unit', 'centroid_lat', 'centroid_lon', 'expected_total', 'expected_per_period']));
    expect(lines.length - 1).toBeGreaterThanOrEqual(regions);
    const lat = header.indexOf('centroid_lat');
    expect(Number(lines[1].split(',')[lat])).toBeCloseTo(51.05, 0);
  }

  it('uploads own data and backtests it with the defaults, showing progress and then the report', async () => {
    await signIn();
    await page.click('a[data-view=data]');
    const csv = csvText = ownDataCsv();
    csvRows = csv.trim().split('\n').length - 1;
    expect(csvRows).toBeGreaterThan(2500);
    expect(csvRows).toBeLessThan(3500);
    await page.fill('#upload-dataset', 'riverside');
    await page.setInputFiles('#upload-file', { name: 'riverside-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    expect(await page.inputValue('#upload-tz')).toBe('Europe/Berlin'); // the browser's zone, not a built-in city
    for (const [k, v] of Object.entries({ timeCol: 'occurred_local', latCol: 'latitude', lonCol: 'longitude', categoryCol: 'offence', idCol: 'incident_no' })) await page.fill(`#upload-${k}`, v);
    await page.click('#upload-run');
    await expect.poll(() => page.textContent('#upload-status')).toBe(`${csvRows} rows: ${csvRows} new, 0 already stored, 0 rejected`);
    await page.waitForSelector('#datasets td:text("riverside")');

    // backtest with whatever the form proposes
    await page.click('a[data-view=backtests]');
    await page.waitForSelector('#bt-run');
    expect(await page.inputValue('#bt-dataset')).toBe('riverside');
    expect(await page.inputValue('#bt-test-from')).toMatch(/^2024-\d\d-\d\d$/);
    // a progress bar that lives a moment is easy to miss by polling: remember whether it ever appeared
    await page.evaluate(() => {
      const w = window as unknown as { sawProgress: boolean };
      w.sawProgress = false;
      new MutationObserver(() => { if (document.querySelector('#backtest-progress')) w.sawProgress = true; }).observe(document.body, { childList: true, subtree: true });
    });
    await page.click('#bt-run');
    await page.waitForSelector('#backtest-verdict', { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress)).toBe(true);
    expect(['queued', 'running']).toContain(polled[0]?.status);
    expect(polled.at(-1)?.status).toBe('done');
    expect(await page.textContent('#backtest-pick option:checked')).toMatch(/· done$/);

    // the report: the summary comes before the map and the tables, and says what to use in words
    const order = await page.$$eval('#view > section', (s) => s.map((x) => x.id).filter(Boolean));
    expect(order.indexOf('backtest-summary')).toBeLessThan(order.indexOf('backtest-report-map'));
    expect(order.indexOf('backtest-report-map')).toBeLessThan(order.indexOf('leaderboard'));
    expect(await page.textContent('#backtest-verdict')).toMatch(/^Use (moving-average:window=28|persistence|historical-average)\b.*: /);
    expect(await page.textContent('#backtest-summary')).toMatch(/PAI [\d.]+ at 1(\.0)?% means/);
    await page.waitForSelector('#report-map[data-ready=hotspots]');
    expect(await page.textContent('#report-map .legend')).toMatch(/^Hot spots of the test window \(Gi\*\).*hot spot, 99% confidence/);
    expect(await page.locator('#report-map .leaflet-overlay-pane path').count()).toBeGreaterThan(50);
    // the study area's boundary and a scale bar: the maps have no basemap
    expect(await page.locator('#report-map path.study-outline').count()).toBe(1);
    expect(await page.textContent('#report-map .leaflet-control-scale')).toMatch(/\d+ (m|km)/);
    await shot('analyst-01-report');
  });

  it('publishes the recommended model from the report and maps it with one unit in legend and tooltip', async () => {
    const spec = (await page.textContent('#backtest-verdict'))!.match(/^Use (\S+?):/)![1];
    await page.click('#report-publish');
    await page.waitForSelector('#report-map[data-ready=forecast]');
    expect(await page.textContent('#report-map-title')).toContain(spec);
    expect(await page.textContent('#report-map .legend')).toMatch(/^Forecast: expected incidents per cell per dayaverage over 7 days, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);

    await page.click('a[data-view=forecast]');
    await page.waitForSelector('#forecast-map[data-ready=true]');
    const legend = (await page.textContent('#forecast-map .legend'))!;
    await page.locator('#forecast-map path.region').first().hover();
    const tooltip = (await page.textContent('.leaflet-tooltip'))!;
    const span = legend.match(/average over 7 days, [\d-]+ to [\d-]+/)![0];
    expect(tooltip).toContain('expected incidents per cell per day');
    expect(tooltip).toContain(span);
    expect(legend).not.toMatch(/km²/);
    expect(await page.locator('#forecast-map path.study-outline').count()).toBe(1);
    // the briefing list: ranked, with centroids in the made-up city
    const top = await page.$$eval('#top-places-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(top.map((r) => Number(r[0]))).toEqual(Array.from({ length: top.length }, (_, i) => i + 1));
    expect(top.length).toBe(10);
    expect(top.every((r) => /^51\.\d{5}, 13\.\d{5}$/.test(r[2]))).toBe(true);
    // the top-ranked area's series: clicked near its corner, before the incident clusters cover the centres
    const first = await page.evaluate(async () => ((await (await fetch('/api/forecasts/latest')).json()) as { features: { properties: { rank: number } }[] }).features.findIndex((f) => f.properties.rank === 1));
    await page.locator('#forecast-map path.region').nth(first).click({ position: { x: 4, y: 4 } });
    await page.waitForSelector('#series-chart canvas');
    // the areas whose series look most like it, each a link to its own series
    await page.waitForSelector('#similar-areas li');
    expect(await page.locator('#similar-areas li').count()).toBe(5);
    const like = (await page.textContent('#similar-areas li button'))!;
    await page.click('#similar-areas li button');
    await expect.poll(() => page.textContent('#series-chart p')).toBe(`Area ${like}: observed per day and forecast`);
    await page.mouse.move(5, 5); // and away: its tooltip closes
    await page.check('#layer-incidents');
    await page.waitForSelector('#forecast-map[data-incidents]');
    expect(Number(await page.getAttribute('#forecast-map', 'data-incidents'))).toBe(csvRows);
    // clustered: far fewer markers than incidents
    const atStart = Number(await page.getAttribute('#forecast-map', 'data-clusters'));
    expect(atStart).toBeLessThan(csvRows / 5);
    // zoomed in, the clusters split, and only what is in view is clustered: the markers stay bounded by the screen
    for (let k = 0; k < 3; k++) await page.click('#forecast-map .leaflet-control-zoom-in');
    await expect.poll(async () => Number(await page.getAttribute('#forecast-map', 'data-clusters'))).not.toBe(atStart);
    expect(Number(await page.getAttribute('#forecast-map', 'data-clusters'))).toBeLessThan(1000);
    for (let k = 0; k < 3; k++) await page.click('#forecast-map .leaflet-control-zoom-out');
    await expect.poll(async () => Number(await page.getAttribute('#forecast-map', 'data-clusters'))).toBe(atStart);
    // the layers' category and date filters
    const rows = csvText.trim().split('\n').slice(1).map((l) => l.split(','));
    await page.selectOption('#layer-category', 'Car break-in');
    await expect.poll(() => page.getAttribute('#forecast-map', 'data-incidents')).toBe(String(rows.filter((r) => r[4] === 'Car break-in').length));
    await page.fill('#layer-from', '2024-03-01');
    await page.fill('#layer-to', '2024-03-31');
    await page.dispatchEvent('#layer-to', 'change');
    await expect.poll(() => page.getAttribute('#forecast-map', 'data-incidents')).toBe(String(rows.filter((r) => r[4] === 'Car break-in' && r[1] >= '2024-03-01' && r[1] < '2024-04-01').length));
    await page.check('#layer-hotspots');
    await page.waitForSelector('#forecast-map[data-hotspots]');
    expect(await page.textContent('#forecast-map .leaflet-top.leaflet-right .legend')).toMatch(/^Hot spots \(Gi\*\): Car break-in, 2024-03-01 to 2024-03-31/);
    await shot('analyst-02-forecast', false);
  });

  it('counts incidents by hour and weekday in the data\'s zone, filtered by category and dates', async () => {
    await page.click('a[data-view=patterns]');
    await page.waitForSelector('#patterns-table');
    expect(await page.getAttribute('#patterns-chart', 'data-total')).toBe(String(csvRows));
    await page.fill('#patterns-from', '2024-02-01');
    await page.fill('#patterns-to', '2024-03-31');
    await page.selectOption('#patterns-category', 'Bike theft');
    await page.click('#patterns-run');
    const want = expectedWeekHours(csvText, 'Bike theft', '2024-02-01', '2024-03-31');
    const total = want.reduce((a, b) => a + b, 0);
    await expect.poll(() => page.getAttribute('#patterns-chart', 'data-total')).toBe(String(total));
    const cells = await page.$$eval('#patterns-table tbody tr', (trs) => trs.slice(0, 7).map((tr) => [...tr.querySelectorAll('td')].slice(0, 24).map((td) => Number(td.textContent || 0))));
    expect(cells.flat()).toEqual(want);
    expect(await page.textContent('#patterns-status')).toMatch(new RegExp(`^${total} incidents of Bike theft, 2024-02-01 to 2024-03-31, by local hour in Europe/Berlin`));
    await shot('analyst-03-patterns', false);
  });

  it('downloads the forecast as GeoPackage, Shapefile and CSV through the dashboard', async () => {
    await downloadAndRead();
    await shot('analyst-04-downloads', false);
  });

  it('keeps the backtest and forecast over a server restart, and still exports them', async () => {
    const port = Number(new URL(http.url).port);
    await http.close();
    await service.close();
    service = await createService({ store: join(dir, 'store.duckdb'), webDir: web, threads: false, log: (l) => { if (/error/i.test(l)) console.log('server:', l); } });
    http = await listen(service, port, '127.0.0.1');
    await page.reload();
    // sessions live in memory: the restarted server asks to sign in again, the results are on disk
    await page.waitForSelector('#login-user');
    await signIn();
    await page.click('a[data-view=backtests]');
    await page.waitForSelector('#backtest-verdict');
    expect(await page.$$eval('#backtest-pick option', (o) => o.map((x) => x.textContent))).toEqual([expect.stringMatching(/^backtest-1 · riverside · .* · done$/)]);
    await page.click('a[data-view=forecast]');
    await page.waitForSelector('#forecast-map[data-ready=true]');
    expect(await page.$$eval('#forecast-pick option', (o) => o.map((x) => x.textContent))).toEqual([expect.stringMatching(/^#1 \S+ · riverside · grid:500 · from 2024-/)]);
    await downloadAndRead();
  });

  it('shows the patrol plan as a table and downloads it as CSV', async () => {
    await page.click('a[data-view=allocation]');
    await page.fill('#alloc-budget', '12');
    await page.click('#alloc-run');
    await page.waitForSelector('#plan-table');
    const dosage = await page.$$eval('#plan-table tbody tr', (trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[2].textContent)));
    expect(dosage.reduce((a, b) => a + b, 0)).toBe(12);
    expect(dosage).toEqual([...dosage].sort((a, b) => b - a)); // most patrol time first
    expect(await page.textContent('#allocation-map .legend')).not.toMatch(/≥/);
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('#plan-download-csv')]);
    const path = join(dir, d.suggestedFilename());
    await d.saveAs(path);
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    expect(lines[0].split(',')).toEqual(expect.arrayContaining(['region', 'centroid_lat', 'centroid_lon', 'dosage_unit_hours']));
    expect(lines).toHaveLength(dosage.length + 1);
    await shot('analyst-05-plan', false);
  });

  it('publishes a tree model and says why its top place is high', async () => {
    await page.click('a[data-view=forecast]');
    await page.waitForSelector('#publish-model');
    await page.fill('#publish-model', 'gbm:trainPeriods=60,validation=0,lags=1,windows=7,calendar=false');
    await page.fill('#publish-horizon', '1');
    await page.click('#publish-run');
    await page.waitForSelector('#top-places-table th:text-is("why")', { timeout: 60_000 });
    await page.click('#top-places-table button.why');
    await page.waitForSelector('#top-places-why h4');
    expect(await page.textContent('#top-places-why h4')).toMatch(/^Why .+ is ranked 1$/);
    expect(await page.textContent('#top-places-why')).toMatch(/TreeSHAP.*typical place [\d.]+, this place [\d.]+ expected/s);
    expect(await page.locator('#top-places-why li').count()).toBeGreaterThan(2);
    await shot('analyst-06-why', false);
  });

  it('raised no script errors, and no 401 on a signed-out visit', () => {
    expect(pageErrors).toEqual([]);
    // the one /api/me refusal is the reload after the restart (sessions live in the server's memory); the first,
    // signed-out visit goes straight to the form
    expect(consoleErrors.filter((e) => e.includes('/api/me'))).toEqual([expect.stringMatching(/status of 401/)]);
  });
});
