/**
 * A saved forecast keeps what the dashboard reads, not the whole history: the demo's forecast (bundled Chicago sample,
 * 500 m grid, daily) was 9.4 MB on disk with its GeoJSON and every period's counts; now its GeoJSON is rebuilt on load
 * and it keeps the last HISTORY_PERIODS periods, gzipped. The map and the series read the same after a restart.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, ingestFile, openStore } from '../../src/data/store.js';
import { createService, type Service } from '../../src/serve/server.js';
import { HISTORY_PERIODS } from '../../src/serve/services/forecast-run.js';
import { REPO_ROOT } from '../helpers.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
let again: Service | null = null;
afterAll(async () => {
  await again?.close();
  rmSync(t.dir, { recursive: true, force: true });
});

type Series = { observed: { start: string; count: number | null }[]; predicted: unknown[]; historyKept?: { periods: number; note: string } };

describe('saved forecasts', () => {
  it('saves the demo\'s forecast in well under 1 MB, and serves the same map, series and downloads after a restart', async () => {
    t = await startTestService();
    await t.service.close();
    // the demo's dataset, ingested as `crimecast demo` does
    const store = await openStore(join(t.dir, 'store.duckdb'));
    try {
      await ingestFile(store, join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv'), { preset: 'stshn-chicago', dataset: 'chicago-sample' });
    } finally {
      closeStore(store);
    }
    const open = () => createService({ store: join(t.dir, 'store.duckdb'), webDir: null, threads: false, rateLimit: null, log: () => {} });
    let s = await open();
    const call = (path: string, init: RequestInit = {}) => Promise.resolve(s.app.request(path, { ...init, headers: { authorization: `Bearer ${t.keys.analyst}`, 'content-type': 'application/json' } }));
    const r = await call('/api/forecasts', { method: 'POST', body: JSON.stringify({ dataset: 'chicago-sample', units: 'grid:500', model: 'moving-average:window=28', horizon: 7 }) });
    expect(r.status).toBe(201);
    const pub = await r.json() as { id: number; summary: { regions: number } };
    expect(pub.summary.regions).toBeGreaterThan(5000);
    const bytes = statSync(s.ctx.saved!.publicationFile(s.ctx.board.get(pub.id)!)).size;
    expect(bytes).toBeLessThan(400_000);
    expect(bytes).toBeGreaterThan(50_000);
    const geo = await (await call(`/api/forecasts/${pub.id}`)).text();
    const top = (JSON.parse(geo) as { features: { id: string; properties: { rank: number } }[] }).features.find((f) => f.properties.rank === 1)!.id;
    const series = await (await call(`/api/forecasts/${pub.id}/series?region=${top}&periods=90`)).json() as Series;
    expect(series.observed).toHaveLength(90);
    expect(series.observed.some((o) => (o.count ?? 0) > 0)).toBe(true);

    await s.close();
    again = s = await open();
    expect(await (await call(`/api/forecasts/${pub.id}`)).text()).toBe(geo);
    expect(await (await call(`/api/forecasts/${pub.id}/series?region=${top}&periods=90`)).json()).toEqual(series);
    const topCsv = await call(`/api/forecasts/${pub.id}/export?format=top&n=1`);
    expect((await topCsv.text()).split('\n')[1]).toMatch(new RegExp(`^1,${top},`));
  });

  it(`keeps the last ${HISTORY_PERIODS} periods of observed counts, and says so when asked for more`, async () => {
    const s = await startTestService();
    try {
      expect((await s.call('analyst', 'POST', '/api/datasets/long/upload', uploadForm(syntheticCsv({ days: 200, perDay: 4 })))).status).toBe(200);
      const pub = await (await s.call('analyst', 'POST', '/api/forecasts', { dataset: 'long', units: 'grid:2000', model: 'historical-average', horizon: 7 })).json() as { id: number; summary: { from: string } };
      const geo = await (await s.call('viewer', 'GET', `/api/forecasts/${pub.id}`)).json() as { features: { id: string }[] };
      const all = await (await s.call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${geo.features[0].id}&periods=500`)).json() as Series;
      expect(all.observed).toHaveLength(HISTORY_PERIODS);
      // the kept periods are the last ones: the day before the forecast starts ends them
      expect(all.observed.at(-1)!.start.slice(0, 10)).toBe('2024-07-18');
      expect(pub.summary.from.slice(0, 10)).toBe('2024-07-19');
      expect(all.historyKept).toEqual({ periods: HISTORY_PERIODS, note: `this forecast keeps the last ${HISTORY_PERIODS} days of observed counts` });
      const some = await (await s.call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${geo.features[0].id}&periods=30`)).json() as Series;
      expect(some.observed).toEqual(all.observed.slice(-30));
      expect(some.historyKept).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
