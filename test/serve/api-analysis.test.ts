/** Contract tests of backtests (jobs), forecasts, per-area series, hot spots, audits and allocations on synthetic data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, uploadForm, type TestService } from './service.js';
import { CENTRES, syntheticCsv } from './synthetic.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
  const r = await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 90 })));
  expect(r.status).toBe(200);
});
afterAll(async () => { await t?.close(); });

const json = async <T = Record<string, unknown>>(r: Response | Promise<Response>) => (await r).json() as Promise<T>;
type Metric = { value: number; lo: number; hi: number; better: string };
interface Job { id: string; status: string; progress: number; error?: string; result?: { leaderboard: { models: { spec: string; metrics: Record<string, Metric> }[]; testPeriods: number }; hitRateCurves: { series: { name: string; x: number[]; y: number[] }[] } } }

const BT = { dataset: 'synth', units: 'grid:1000', models: ['moving-average:window=28', 'persistence'], testFrom: '2024-03-04', bootstrap: 200 };
let backtestId = '';

describe('backtests', () => {
  it('runs as a job: 202, then progress to done with a leaderboard whose intervals hold their estimates', async () => {
    const r = await t.call('analyst', 'POST', '/api/backtests', BT);
    expect(r.status).toBe(202);
    const job = await json<Job>(r);
    expect(job.status).toMatch(/queued|running/);
    backtestId = job.id;
    await t.service.ctx.jobs.idle();
    const done = await json<Job>(t.call('viewer', 'GET', `/api/backtests/${job.id}`));
    expect(done.status).toBe('done');
    expect(done.progress).toBe(1);
    const lb = done.result!.leaderboard;
    expect(lb.testPeriods).toBe(27); // 2024-03-04 … 2024-03-30, the last day of data
    expect(lb.models.map((m) => m.spec)).toEqual(BT.models);
    for (const m of lb.models) for (const x of Object.values(m.metrics)) if (Number.isFinite(x.value)) expect(x.lo - 1e-9 <= x.value && x.value <= x.hi + 1e-9).toBe(true);
    // a 28-day mean forecasts sparse daily counts better than yesterday's count
    const mae = (i: number) => lb.models[i].metrics['MAE/all'];
    expect(mae(0).value).toBeLessThan(mae(1).value);
    // hit-rate curves rise with the flagged area and reach 1 when everything is flagged
    for (const s of done.result!.hitRateCurves.series) {
      for (let k = 1; k < s.y.length; k++) expect(s.y[k]).toBeGreaterThanOrEqual(s.y[k - 1] - 1e-12);
      expect(s.y.at(-1)).toBeCloseTo(1, 6);
    }
    const list = await json<{ backtests: { id: string; status: string }[] }>(t.call('viewer', 'GET', '/api/backtests'));
    expect(list.backtests[0]).toMatchObject({ id: job.id, status: 'done' });
  });

  it('answers bad requests with 4xx, and a test window outside the data with a failed job that says why', async () => {
    let r = await t.call('analyst', 'POST', '/api/backtests', { ...BT, models: ['moving-average:window=-3'] });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/moving-average.*window/);
    r = await t.call('analyst', 'POST', '/api/backtests', { ...BT, models: ['crystal-ball'] });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: expect.stringMatching(/unknown model "crystal-ball"/), hint: expect.stringMatching(/api\/models/) });
    r = await t.call('analyst', 'POST', '/api/backtests', { ...BT, testFrom: '4 March' });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/testFrom: a local date YYYY-MM-DD/);
    r = await t.call('analyst', 'POST', '/api/backtests', { ...BT, models: [] });
    expect(r.status).toBe(400);
    r = await t.call('analyst', 'POST', '/api/backtests', { ...BT, dataset: 'nowhere' });
    expect(r.status).toBe(404);
    const late = await json<Job>(t.call('analyst', 'POST', '/api/backtests', { ...BT, testFrom: '2025-01-01' }));
    await t.service.ctx.jobs.idle();
    const failed = await json<Job>(t.call('viewer', 'GET', `/api/backtests/${late.id}`));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/testFrom 2025-01-01 leaves no test periods/);
    expect((await t.call('viewer', 'GET', '/api/backtests/backtest-999')).status).toBe(404);
  });
});

let forecastId = 0;
describe('forecasts', () => {
  it('publishes a forecast whose GeoJSON adds up to its summary and matches the synthetic rate', async () => {
    expect((await t.call('viewer', 'GET', '/api/forecasts/latest')).status).toBe(404);
    const r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 7, coverage: 0.1 });
    expect(r.status).toBe(201);
    const pub = await json<{ id: number; summary: { from: string; regions: number; expectedTotal: number; flaggedRegions: number } }>(r);
    forecastId = pub.id;
    expect(pub.summary.from).toBe('2024-03-31T00:00:00-05:00');
    // 12 a day on weekdays and 16.8 at weekends: 93.6 a week on average
    expect(pub.summary.expectedTotal).toBeGreaterThan(93.6 * 0.85);
    expect(pub.summary.expectedTotal).toBeLessThan(93.6 * 1.15);
    const latest = await t.call('viewer', 'GET', '/api/forecasts/latest?dataset=synth');
    expect(latest.headers.get('x-forecast-id')).toBe(String(pub.id));
    const fc = await json<{ features: { properties: { id: string; expected: number; rank: number; flagged: number; area_m2: number } }[]; crimecast: { model: string } }>(latest);
    expect(fc.features).toHaveLength(pub.summary.regions);
    expect(fc.features.reduce((a, f) => a + f.properties.expected, 0)).toBeCloseTo(pub.summary.expectedTotal, 1);
    const flagged = fc.features.filter((f) => f.properties.flagged === 1);
    expect(flagged).toHaveLength(pub.summary.flaggedRegions);
    expect(flagged.reduce((a, f) => a + f.properties.area_m2, 0) / fc.features.reduce((a, f) => a + f.properties.area_m2, 0)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.max(...flagged.map((f) => f.properties.rank))).toBe(flagged.length);
    expect((await json<{ forecasts: { id: number }[] }>(t.call('viewer', 'GET', '/api/forecasts'))).forecasts.map((f) => f.id)).toEqual([pub.id]);
  });

  it('gives one area\'s observed counts and forecast', async () => {
    const fc = await json<{ features: { properties: { id: string; rank: number; expected: number } }[] }>(t.call('viewer', 'GET', `/api/forecasts/${forecastId}`));
    const top = fc.features.find((f) => f.properties.rank === 1)!;
    const s = await json<{ observed: { start: string; count: number }[]; predicted: { start: string; expected: number }[] }>(t.call('analyst', 'GET', `/api/forecasts/${forecastId}/series?region=${top.properties.id}&periods=28`));
    expect(s.observed).toHaveLength(28);
    expect(s.observed.at(-1)!.start).toBe('2024-03-30T00:00:00-05:00');
    expect(s.predicted).toHaveLength(7);
    // a 28-day moving average forecasts the mean of the last 28 days for each day ahead
    const mean = s.observed.reduce((a, o) => a + o.count, 0) / 28;
    for (const p of s.predicted) expect(p.expected).toBeCloseTo(mean, 3);
    expect(s.predicted.reduce((a, p) => a + p.expected, 0)).toBeCloseTo(top.properties.expected, 2);
    // a viewer sees the same counts summed over weeks (the minimum window), weeks with 1–2 incidents withheld
    const v = await json<{ observed: { start: string; count: number | null }[]; predicted: unknown[]; disclosure: { periodsPerPoint: number; minCount: number } }>(t.call('viewer', 'GET', `/api/forecasts/${forecastId}/series?region=${top.properties.id}&periods=28`));
    expect(v.disclosure).toMatchObject({ periodsPerPoint: 7, minCount: 3 });
    expect(v.observed.map((o) => o.start)).toEqual([0, 7, 14, 21].map((k) => s.observed[k].start));
    v.observed.forEach((o, w) => {
      const sum = s.observed.slice(7 * w, 7 * w + 7).reduce((a, x) => a + x.count, 0);
      expect(o.count).toBe(sum > 0 && sum < 3 ? null : sum);
    });
    expect(v.predicted).toEqual(s.predicted);
    expect((await t.call('viewer', 'GET', `/api/forecasts/${forecastId}/series?region=nowhere`)).status).toBe(404);
    expect((await t.call('viewer', 'GET', `/api/forecasts/${forecastId}/series`)).status).toBe(400);
    expect((await t.call('viewer', 'GET', '/api/forecasts/77/series?region=x')).status).toBe(404);
  });

  it('answers bad forecast requests with 4xx', async () => {
    let r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', model: 'moving-average', horizon: 0 });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/horizon/);
    r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', model: 'moving-average', coverage: 2 });
    expect(r.status).toBe(400);
    r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', model: 'moving-average', extra: 1 });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/extra/);
    expect((await t.call('viewer', 'GET', '/api/forecasts/abc')).status).toBe(404);
  });
});

describe('hot spots', () => {
  it('finds the synthetic hot-spot centres with Gi*', async () => {
    const fc = await json<{ features: { geometry: { coordinates: number[][][] }; properties: { gi_z: number | null; gi_bin: number } }[]; crimecast: { method: string } }>(
      t.call('viewer', 'GET', '/api/hotspots?dataset=synth&units=grid:1000'));
    expect(fc.crimecast.method).toBe('gi*');
    // every centre lies in a hot spot at 95% or more
    const hot = fc.features.filter((f) => f.properties.gi_bin >= 2);
    for (const [lat, lon] of CENTRES) {
      const inHot = hot.some((f) => {
        const ring = f.geometry.coordinates[0];
        const lons = ring.map((p) => p[0]), lats = ring.map((p) => p[1]);
        return lon >= Math.min(...lons) && lon <= Math.max(...lons) && lat >= Math.min(...lats) && lat <= Math.max(...lats);
      });
      expect(inHot, `centre ${lat},${lon}`).toBe(true);
    }
    expect(hot.length).toBeLessThan(fc.features.length / 4);
  });

  it('gives local and global Moran\'s I, and 400 for a bad method or weights', async () => {
    const fc = await json<{ crimecast: { global: { I: number; permutation: { pSim: number } } } }>(t.call('viewer', 'GET', '/api/hotspots?dataset=synth&units=grid:1000&method=moran'));
    expect(fc.crimecast.global.I).toBeGreaterThan(0.1);
    expect(fc.crimecast.global.permutation.pSim).toBeLessThan(0.01);
    expect((await t.call('viewer', 'GET', '/api/hotspots?dataset=synth&method=kde')).status).toBe(400);
    const r = await t.call('viewer', 'GET', '/api/hotspots?dataset=synth&weights=knn:zero');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: 'bad weights spec "knn:zero"' });
  });
});

describe('audits', () => {
  it('audits a backtested model against group populations and builds its model card', async () => {
    const bt = await json<Job & { result: { leaderboard: unknown } }>(t.call('viewer', 'GET', `/api/backtests/${backtestId}`));
    expect(bt.status).toBe('done');
    const units = await json<{ features: { properties: { id: string }; geometry: { coordinates: number[][][] } }[] }>(t.call('viewer', 'GET', '/api/units?dataset=synth&units=grid:1000'));
    // two made-up groups: "West" lives in the western half of the box, "East" in the eastern half
    const west: Record<string, number> = {}, east: Record<string, number> = {};
    for (const f of units.features) {
      const lon = f.geometry.coordinates[0][0][0];
      (lon < -87.675 ? west : east)[f.properties.id] = 1000;
    }
    const r = await t.call('analyst', 'POST', '/api/audits', { backtest: backtestId, coverage: 0.1, bootstrap: 100, groups: [{ name: 'West', weights: west }, { name: 'East', weights: east }] });
    expect(r.status).toBe(200);
    const a = await json<{ model: string; audit: { periods: number; overall: { hitRate: { estimate: number; lo: number; hi: number } }; groups: { name: string; populationShare: number; flagShare: { estimate: number } }[] }; modelCard: { model: { spec: string }; evaluation: { metric: string }[]; intendedUse: string[] } }>(r);
    expect(a.model).toBe('moving-average:window=28');
    expect(a.audit.periods).toBe(27);
    const hr = a.audit.overall.hitRate;
    expect(hr.estimate).toBeGreaterThan(0.1);
    expect(hr.lo <= hr.estimate && hr.estimate <= hr.hi).toBe(true);
    expect(a.audit.groups.map((g) => g.name)).toEqual(['West', 'East']);
    expect(a.audit.groups[0].populationShare + a.audit.groups[1].populationShare).toBeCloseTo(1, 9);
    expect(a.modelCard.model.spec).toBe('moving-average:window=28');
    expect(a.modelCard.evaluation.map((e) => e.metric)).toContain('hit rate @ 10.0%');
    expect(a.modelCard.intendedUse.length).toBeGreaterThan(0);
    expect(await json(t.call('viewer', 'GET', '/api/audits/latest'))).toMatchObject({ model: 'moving-average:window=28', backtest: backtestId });
  });

  it('answers bad audit requests with 4xx', async () => {
    const groups = [{ name: 'A', weights: { r0c0: 10 } }];
    let r = await t.call('analyst', 'POST', '/api/audits', { backtest: 'backtest-999', groups });
    expect(r.status).toBe(404);
    r = await t.call('analyst', 'POST', '/api/audits', { backtest: backtestId, groups: [{ name: 'A', weights: { 'not-a-region': 10 } }] });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/unknown region id\(s\) not-a-region/);
    r = await t.call('analyst', 'POST', '/api/audits', { backtest: backtestId, model: 'constant', groups });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/"constant" is not in backtest/);
    r = await t.call('analyst', 'POST', '/api/audits', { backtest: backtestId, groups: [] });
    expect(r.status).toBe(400);
  });
});

describe('allocations', () => {
  it('allocates the whole budget to the highest-expectation areas and reports the expected crime covered', async () => {
    const r = await t.call('analyst', 'POST', '/api/allocations', { forecast: forecastId, budget: 20, maxPerRegion: 4 });
    expect(r.status).toBe(200);
    const plan = await json<{ features: { properties: { id: string; dosage_total: number; covered_plan: number } }[]; crimecast: { method: string; covered: number; expectedTotal: number; coveredShare: number } }>(r);
    expect(plan.features.reduce((a, f) => a + f.properties.dosage_total, 0)).toBe(20);
    expect(Math.max(...plan.features.map((f) => f.properties.dosage_total))).toBeLessThanOrEqual(4);
    expect(plan.crimecast.method).toBe('greedy');
    expect(plan.features.reduce((a, f) => a + f.properties.covered_plan, 0)).toBeCloseTo(plan.crimecast.covered, 2);
    expect(plan.crimecast.covered).toBeLessThan(plan.crimecast.expectedTotal);
    expect(plan.crimecast.coveredShare).toBeGreaterThan(0.2);
    expect(await json(t.call('viewer', 'GET', '/api/allocations/latest'))).toMatchObject({ crimecast: { forecast: forecastId, budget: 20 } });
  });

  it('answers bad allocation requests with 4xx', async () => {
    expect((await t.call('analyst', 'POST', '/api/allocations', { budget: 0 })).status).toBe(400);
    expect((await t.call('analyst', 'POST', '/api/allocations', { budget: 5, forecast: 999 })).status).toBe(404);
    const r = await t.call('analyst', 'POST', '/api/allocations', { budget: 5, coverageModel: 'exp:-1' });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/beta must be > 0/);
  });
});

describe('differentially private publication', () => {
  it('publishes noisy values only, states the release, withholds the observed history and keeps no noise seed', async () => {
    const req = { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 7, coverage: 0.1 };
    const r = await t.call('analyst', 'POST', '/api/forecasts', { ...req, dpEpsilon: 1 });
    expect(r.status).toBe(201);
    const pub = await json<{ id: number; request: Record<string, unknown>; summary: { expectedTotal: number; regions: number; warnings: string[]; differentialPrivacy: Record<string, unknown> } }>(r);
    // Laplace with Δ = 1 and ε = 1: scale b = Δ/ε = 1 and E|noise| = b
    expect(pub.summary.differentialPrivacy).toMatchObject({ epsilon: 1, mechanism: 'laplace', sensitivity: 1, scale: 1, expectedAbsNoise: 1 });
    expect(pub.summary.differentialPrivacy.composition).toMatch(/kε-differentially private/);
    expect(pub.summary.warnings.some((w) => /published under/.test(w))).toBe(true);
    // the noise seed would reproduce the noise (and so the true values): it is drawn at random and never published
    expect(pub.summary.differentialPrivacy).not.toHaveProperty('seed');
    type FC = { features: { properties: { id: string; expected: number } }[] };
    const noisy = await json<FC>(t.call('viewer', 'GET', `/api/forecasts/${pub.id}`));
    const plainPub = await json<{ id: number }>(t.call('analyst', 'POST', '/api/forecasts', req));
    const plain = await json<FC>(t.call('viewer', 'GET', `/api/forecasts/${plainPub.id}`));
    expect(noisy.features.reduce((a, f) => a + f.properties.expected, 0)).toBeCloseTo(pub.summary.expectedTotal, 1);
    const plainById = new Map(plain.features.map((f) => [f.properties.id, f.properties.expected]));
    const diffs = noisy.features.map((f) => Math.abs(f.properties.expected - plainById.get(f.properties.id)!));
    // every region × category got Laplace(1) noise, clamped at 0 (the noise seed is random, so the bounds are wide:
    // a region stays unchanged only when all its near-zero categories drew negative noise; each is > 6 SD from its mean)
    expect(diffs.filter((d) => d > 1e-6).length).toBeGreaterThan(0.5 * diffs.length);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    expect(mean).toBeGreaterThan(0.2);
    const s = await json<{ observed: unknown[]; predicted: unknown[]; historyWithheld: string }>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${noisy.features[0].properties.id}`));
    expect(s.observed).toEqual([]);
    expect(s.predicted).toHaveLength(7);
    expect(s.historyWithheld).toMatch(/differential privacy/);
  });

  it('refuses a meaningless ε and DP settings without ε', async () => {
    for (const dpEpsilon of [0, -1, 50]) expect((await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', model: 'moving-average', dpEpsilon })).status).toBe(400);
    const r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', model: 'moving-average', dpMechanism: 'geometric' });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/need dpEpsilon/);
  });
});

describe('explanations of a published tree forecast', () => {
  it('keeps TreeSHAP contributions for the top places that reproduce the forecast, for analysts only', async () => {
    const r = await t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'gbm:trainPeriods=60,validation=0,lags=1,windows=7,calendar=false', horizon: 1, coverage: 0.1 });
    expect(r.status, JSON.stringify(await r.clone().json())).toBe(201);
    const pub = await json<{ id: number; explainedPlaces: number; summary: { categories: string[] } }>(r);
    expect(pub.explainedPlaces).toBe(25);
    const all = await json<{ places: number; note: string; cells: { region: string; category: string; margin: number; base: number; scale: string; contributions: { feature: string; shap: number }[] }[] }>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/explain`));
    expect(all.cells).toHaveLength(25 * pub.summary.categories.length);
    expect(all.note).toMatch(/TreeSHAP/);
    const fc = await json<{ features: { properties: { id: string; rank: number; expected: number } }[] }>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}`));
    const first = fc.features.find((f) => f.properties.rank === 1)!.properties;
    const one = await json<{ cells: typeof all.cells }>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/explain?region=${first.id}`));
    expect(one.cells.map((x) => x.category).sort()).toEqual([...pub.summary.categories].sort());
    // Poisson boosting explains the log-rate: exp(margin) summed over the categories is the place's forecast for the day
    expect(one.cells[0].scale).toBe('log-rate');
    expect(one.cells.reduce((a, x) => a + Math.exp(x.margin), 0)).toBeCloseTo(first.expected, 3);
    for (const x of one.cells) for (let k = 1; k < x.contributions.length; k++) expect(Math.abs(x.contributions[k].shap)).toBeLessThanOrEqual(Math.abs(x.contributions[k - 1].shap));
    const outside = fc.features.find((f) => f.properties.rank === 30)!.properties.id;
    expect((await t.call('analyst', 'GET', `/api/forecasts/${pub.id}/explain?region=${outside}`)).status).toBe(404);
    expect((await t.call('viewer', 'GET', `/api/forecasts/${pub.id}/explain`)).status).toBe(403);
    const plain = await json<{ id: number; explainedPlaces: number }>(t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=7', horizon: 1 }));
    expect(plain.explainedPlaces).toBe(0);
    const none = await t.call('analyst', 'GET', `/api/forecasts/${plain.id}/explain`);
    expect(none.status).toBe(404);
    expect((await json(none)).hint).toMatch(/tree model/);
  });
});

describe('similar areas', () => {
  it('ranks areas by how alike their observed series are, from the counts the publication keeps', async () => {
    const pub = await json<{ id: number }>(t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 1 }));
    const fc = await json<{ features: { properties: { id: string; rank: number } }[] }>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}`));
    const target = fc.features.find((f) => f.properties.rank === 1)!.properties.id;
    type Similar = { periods: number; how: string; similar: { rank: number; region: string; distance: number; correlation: number | null; total?: number }[]; targetTotal?: number };
    const s = await json<Similar>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/similar?region=${target}&top=5`));
    expect(s.how).toMatch(/dynamic time warping/);
    expect(s.similar.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5]);
    for (let k = 1; k < 5; k++) expect(s.similar[k].distance).toBeGreaterThanOrEqual(s.similar[k - 1].distance);
    expect(s.similar.map((x) => x.region)).not.toContain(target);
    // the listed correlation is Pearson's between the two areas' observed series, as the series endpoint gives them
    type Series = { observed: { count: number }[] };
    const a = (await json<Series>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${target}&periods=${s.periods}`))).observed.map((o) => o.count);
    const b = (await json<Series>(t.call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${s.similar[0].region}&periods=${s.periods}`))).observed.map((o) => o.count);
    expect(a).toHaveLength(s.periods);
    const mean = (x: number[]) => x.reduce((p, q) => p + q, 0) / x.length;
    const ma = mean(a), mb = mean(b);
    const r = a.reduce((p, x, i) => p + (x - ma) * (b[i] - mb), 0) / Math.sqrt(a.reduce((p, x) => p + (x - ma) ** 2, 0) * b.reduce((p, x) => p + (x - mb) ** 2, 0));
    expect(s.similar[0].correlation).toBeCloseTo(r, 10);
    expect(s.targetTotal).toBe(a.reduce((p, q) => p + q, 0));
    expect(s.similar[0].total).toBe(b.reduce((p, q) => p + q, 0));
    // viewers get areas and distances, no totals
    const v = await json<Similar>(t.call('viewer', 'GET', `/api/forecasts/${pub.id}/similar?region=${target}&top=5&method=mahalanobis`));
    expect(v.how).toMatch(/Mahalanobis/);
    expect(v.targetTotal).toBeUndefined();
    expect(v.similar.every((x) => x.total === undefined)).toBe(true);
    expect((await t.call('viewer', 'GET', `/api/forecasts/${pub.id}/similar?region=nowhere`)).status).toBe(404);
    expect((await t.call('viewer', 'GET', `/api/forecasts/${pub.id}/similar?region=${target}&method=euclid`)).status).toBe(400);
    // a publication under DP keeps no observed counts to compare
    const dp = await json<{ id: number }>(t.call('analyst', 'POST', '/api/forecasts', { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 1, dpEpsilon: 1 }));
    const refused = await t.call('analyst', 'GET', `/api/forecasts/${dp.id}/similar?region=${target}`);
    expect(refused.status).toBe(422);
    expect((await json(refused)).hint).toMatch(/differential privacy/);
  });
});
