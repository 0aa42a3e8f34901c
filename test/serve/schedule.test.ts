/**
 * Scheduled retraining on a fake clock: a run at each interval publishes a new forecast when data were added, skips
 * when not, and records a failing refit while the previous forecast stays served.
 */
import { existsSync } from 'node:fs';
import { requirePrerequisite } from '../helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/serve/services/clock.js';
import { BACKTEST_WORKER, runBacktestAnywhere } from '../../src/serve/services/backtest-run.js';
import { incidentTableFromColumns } from '../../src/data/incident-table.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

class FakeClock implements Clock {
  t = Date.parse('2024-04-01T00:00:00Z');
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const id = ++this.seq; this.timers.push({ at: this.t + ms, fn, id }); return id; }
  clearTimeout(id: unknown) { this.timers = this.timers.filter((x) => x.id !== id); }
  /** Move time forward, firing the timers that fall due. */
  advance(ms: number) {
    this.t += ms;
    for (const due of this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at)) {
      this.timers = this.timers.filter((x) => x.id !== due.id);
      due.fn();
    }
  }
  get pending() { return this.timers.length; }
}

const clock = new FakeClock();
const logs: string[] = [];
let t: TestService;
beforeAll(async () => {
  t = await startTestService({ clock, log: (l) => logs.push(l) });
  expect((await t.call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 50 })))).status).toBe(200);
});
afterAll(async () => { await t?.close(); });

const json = async <T = Record<string, unknown>>(r: Response | Promise<Response>) => (await r).json() as Promise<T>;
const HOUR = 3600_000;
interface Status { schedule: unknown; nextRunAt: string | null; runs: { outcome: string; publication?: number; error?: string }[]; lastFailure: { error: string } | null }

async function tick(ms: number): Promise<Status> {
  clock.advance(ms);
  await t.service.ctx.retrainer.settled();
  return json<Status>(t.call('viewer', 'GET', '/api/schedule'));
}

describe('scheduled retraining', () => {
  it('refits at each interval when data were added, and skips when not', async () => {
    const put = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 60, forecast: { dataset: 'synth', model: 'moving-average:window=14', units: 'grid:1000', horizon: 7 } });
    expect(put.status).toBe(200);
    expect((await json<Status>(put)).nextRunAt).toBe('2024-04-01T01:00:00.000Z');
    expect((await tick(59 * 60_000)).runs).toHaveLength(0);
    let s = await tick(60_000);
    expect(s.runs.map((r) => r.outcome)).toEqual(['published']);
    const first = s.runs[0].publication!;
    const pub1 = await json<{ forecasts: { id: number; source: string; summary: { from: string } }[] }>(t.call('viewer', 'GET', '/api/forecasts'));
    expect(pub1.forecasts[0]).toMatchObject({ id: first, source: 'schedule', summary: { from: '2024-02-20T00:00:00-06:00' } });

    s = await tick(HOUR);
    expect(s.runs[0].outcome).toBe('skipped');

    // an incident arrives for a new day: the next run refits and forecasts from the day after it
    const live = await json(t.call('analyst', 'POST', '/api/datasets/synth/incidents', { incidents: [{ id: 'N1', time: '2024-02-20 08:00:00', lat: 41.8, lon: -87.7, category: 'THEFT' }] }));
    expect(live).toMatchObject({ ingested: 1 });
    s = await tick(HOUR);
    expect(s.runs[0].outcome).toBe('published');
    const latest = await t.call('viewer', 'GET', '/api/forecasts/latest?dataset=synth');
    expect(latest.headers.get('x-forecast-id')).toBe(String(s.runs[0].publication));
    expect((await json<{ crimecast: { from: string } }>(latest)).crimecast.from).toBe('2024-02-21T00:00:00-06:00');
  });

  it('records a failing refit and keeps serving the previous forecast', async () => {
    const before = (await t.call('viewer', 'GET', '/api/forecasts/latest?dataset=synth')).headers.get('x-forecast-id');
    // ETS needs three periods of history; 51 days are two months
    const put = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 60, forecast: { dataset: 'synth', model: 'ets', units: 'grid:1000', period: 'month', horizon: 1 } });
    expect(put.status).toBe(200);
    const s = await tick(HOUR);
    expect(s.runs[0].outcome).toBe('failed');
    expect(s.runs[0].error).toMatch(/ets/);
    expect(s.lastFailure!.error).toBe(s.runs[0].error);
    expect((await t.call('viewer', 'GET', '/api/forecasts/latest?dataset=synth')).headers.get('x-forecast-id')).toBe(before);
    expect(logs.some((l) => /retrain of ets on synth failed: .*the previous forecast stays served/.test(l))).toBe(true);
    for (const l of logs) expect(l).not.toMatch(/41\.\d{3}|-87\.\d{3}/);
    // a failure does not stop the schedule: the next interval is armed
    expect(clock.pending).toBe(1);
  });

  it('turns off, and validates schedule requests', async () => {
    const off = await json<Status>(t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: null }));
    expect(off).toMatchObject({ schedule: null, nextRunAt: null });
    expect(clock.pending).toBe(0);
    const run = await t.call('admin', 'POST', '/api/schedule/run');
    expect(run.status).toBe(409);
    expect(await run.json()).toEqual({ error: 'no retraining schedule is configured', hint: 'PUT /api/schedule first' });
    let r = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 60 });
    expect(r.status).toBe(400);
    r = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 0.001, forecast: { dataset: 'synth', model: 'persistence' } });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/too short/);
    r = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 60, forecast: { dataset: 'synth', model: 'oracle' } });
    expect(r.status).toBe(400);
    expect((await json(r)).error).toMatch(/unknown model "oracle"/);
    r = await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: -5, forecast: { dataset: 'synth', model: 'persistence' } });
    expect(r.status).toBe(400);
  });

  it('retrains on demand', async () => {
    await t.call('admin', 'PUT', '/api/schedule', { intervalMinutes: 600, forecast: { dataset: 'synth', model: 'historical-average', units: 'grid:1000' } });
    const r = await json<{ outcome: string; publication: number }>(t.call('admin', 'POST', '/api/schedule/run'));
    expect(r.outcome).toBe('published');
    expect((await json<{ forecasts: { id: number; request: { model: string } }[] }>(t.call('viewer', 'GET', '/api/forecasts'))).forecasts[0]).toMatchObject({ id: r.publication, request: { model: 'historical-average' } });
  });
});

describe('backtest jobs in a worker thread', () => {
  const built = requirePrerequisite('the compiled build (dist/serve/services/backtest-worker.js)', existsSync(BACKTEST_WORKER),
    'run `npm run build` (`npm test` builds first)');
  it.runIf(built)('give the same leaderboard as in-process', async () => {
    const rows = syntheticCsv({ days: 40 }).trim().split('\n').slice(1).map((l) => l.split(','));
    const table = incidentTableFromColumns({
      id: rows.map((r) => r[0]), t: rows.map((r) => Date.parse(r[1].replace(' ', 'T') + 'Z')), lat: rows.map((r) => Number(r[2])), lon: rows.map((r) => Number(r[3])), category: rows.map((r) => r[4]),
    });
    const input = { table, dataset: 'x', units: 'grid:1000', period: 'day' as const, models: ['moving-average:window=7', 'persistence'], testFrom: '2024-02-01', horizon: 1, bootstrap: 50, seed: 1 };
    const seen: number[] = [];
    const threaded = await runBacktestAnywhere(input, (f) => seen.push(f), true);
    const inline = await runBacktestAnywhere(input, () => {}, false);
    expect(threaded.leaderboard.models).toEqual(inline.leaderboard.models.map((m) => ({ ...m, timing: expect.any(Object) })));
    expect(Array.from(threaded.predictions['persistence'])).toEqual(Array.from(inline.predictions['persistence']));
    expect(seen.at(-1)).toBeCloseTo(1, 9);
  });
});
