/**
 * `crimecast demo` saves its backtest and forecast where `crimecast serve --store STORE` restores them from (the
 * demo's own code path, saveCliResults, on a small synthetic dataset): the server lists both beside its own results,
 * tagged as from the CLI, numbered after them, and serves their leaderboard, map, series and downloads.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRolling } from '../../src/evaluate/protocols/rolling.js';
import { produceForecast } from '../../src/forecast/produce.js';
import { createService, type Service } from '../../src/serve/server.js';
import { saveCliResults } from '../../src/serve/services/cli-results.js';
import { buildDataset } from '../../src/tensor/dataset.js';
import { studyAreaUnits } from '../../src/space/study-area.js';
import '../../src/models/baselines/index.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
let s: Service | null = null;
afterAll(async () => {
  await s?.close();
  rmSync(t.dir, { recursive: true, force: true });
});

const MODELS = ['moving-average:window=7', 'persistence'];

describe('CLI results in the server', () => {
  it('lists the demo\'s backtest and forecast after the server starts, numbered after its own, and serves them', async () => {
    t = await startTestService();
    expect((await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 45 })))).status).toBe(200);
    // the server's own results first: the CLI's must not replace them
    const own = await (await t.call('analyst', 'POST', '/api/backtests', { dataset: 'synth', units: 'grid:1000', models: ['persistence'], testFrom: '2024-02-05', bootstrap: 20 })).json() as { id: string };
    await t.service.ctx.jobs.idle();
    const ownPub = await (await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'persistence', horizon: 7 })).json() as { id: number };
    const table = await t.service.ctx.datasets.incidents('synth');
    await t.service.close();

    // what the demo does, on the small dataset
    // as the demo: the study area is the cells holding incidents (a masked grid, rebuilt from its spec on load)
    const area = studyAreaUnits('grid:1000', table);
    expect(area.spec).toBe('grid:1000,mask=incidents');
    const data = buildDataset(table, { units: area.units, period: 'day' });
    const testStart = data.tensor.periods - 10;
    const result = await runRolling(data, MODELS, { testStart, refitEvery: 7, bootstrap: 50, seed: 1 });
    const product = await produceForecast(data, MODELS[0], 7, { coverage: 0.05 });
    const store = join(t.dir, 'store.duckdb');
    const logs: string[] = [];
    const saved = saveCliResults(store, 'crimecast demo', {
      backtest: { request: { dataset: 'synth', units: 'grid:1000', studyArea: area.spec, period: 'day', models: MODELS, testFrom: '2024-02-05', refitEvery: 7 }, data, result, testStart, started: new Date(), seconds: 1.5 },
      forecast: { request: { dataset: 'synth', units: 'grid:1000', studyArea: area.spec, period: 'day', model: MODELS[0], horizon: 7, coverage: 0.05, seed: 1 }, product, data, trainedOnIncidents: table.n },
    }, (l) => logs.push(l));
    expect(logs).toEqual([]);
    expect(saved).toEqual({ dir: join(t.dir, 'serve', 'results', 'store.duckdb'), backtest: 'backtest-2', forecast: ownPub.id + 1 });
    expect(own.id).toBe('backtest-1');

    s = await createService({ store, webDir: null, threads: false, rateLimit: null, log: () => {} });
    const get = async (path: string, as: 'viewer' | 'analyst' = 'viewer') => { const r = await s!.app.request(path, { headers: { authorization: `Bearer ${t.keys[as]}` } }); expect(r.status, path).toBe(200); return r; };
    const json = async <T>(path: string, as: 'viewer' | 'analyst' = 'viewer') => (await get(path, as)).json() as Promise<T>;
    const backtests = (await json<{ backtests: { id: string; owner: string; status: string; request: { source?: string; command?: string } }[] }>('/api/backtests')).backtests;
    expect(backtests.map((b) => [b.id, b.owner, b.status, b.request.source ?? 'api'])).toEqual([['backtest-2', 'crimecast demo', 'done', 'cli'], ['backtest-1', 'ana', 'done', 'api']]);
    const bt = await json<{ result: { leaderboard: { models: { spec: string; metrics: Record<string, { value: number }> }[] }; testPeriods: string[] } }>('/api/backtests/backtest-2');
    expect(bt.result.leaderboard.models.map((m) => m.spec)).toEqual(MODELS);
    expect(bt.result.testPeriods).toHaveLength(10);
    expect(bt.result.leaderboard.models[0].metrics['MAE/all'].value).toBeCloseTo(result.models[0].metrics['MAE/all'].value, 12);

    const forecasts = (await json<{ forecasts: { id: number; source: string; request: { model: string }; summary: { expectedTotal: number } }[] }>('/api/forecasts')).forecasts;
    expect(forecasts.map((f) => [f.id, f.source, f.request.model])).toEqual([[saved.forecast, 'cli', MODELS[0]], [ownPub.id, 'api', 'persistence']]);
    expect(forecasts[0].summary.expectedTotal).toBeCloseTo(product.expected.reduce((a, b) => a + b, 0), 3);
    const geo = await json<{ features: { id: string; properties: { expected_total: number } }[]; crimecast: { units: string; studyArea: string } }>(`/api/forecasts/${saved.forecast}`);
    expect(geo.features).toHaveLength(data.units.n);
    expect(geo.features.map((f) => f.id)).toEqual(data.units.ids);
    expect(geo.crimecast).toMatchObject({ units: 'grid:1000', studyArea: 'grid:1000,mask=incidents' });
    const r0 = product.regionIds.indexOf(geo.features[0].id);
    expect(geo.features[0].properties.expected_total).toBeCloseTo(product.expected[r0], 4);
    const series = await json<{ observed: { count: number }[]; predicted: unknown[] }>(`/api/forecasts/${saved.forecast}/series?region=${geo.features[0].id}&periods=14`, 'analyst');
    expect(series.observed.map((o) => o.count)).toEqual(Array.from({ length: 14 }, (_, k) => {
      const p = data.tensor.periods - 14 + k, R = data.tensor.regions, C = data.tensor.categories;
      let sum = 0;
      for (let c = 0; c < C; c++) sum += data.tensor.data[(p * R + r0) * C + c];
      return sum;
    }));
    expect((await get(`/api/forecasts/${saved.forecast}/export?format=top&n=3`)).headers.get('content-disposition')).toMatch(/^attachment; filename="synth-moving-average_window_7-/);
  });
});
