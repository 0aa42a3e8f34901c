/** A restarted server on the same store lists and serves the backtests, forecasts and allocation made before it stopped. */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src/serve/server.js';
import { decodeResult, encodeResult, jobSeq } from '../../src/serve/services/saved-results.js';
import { startTestService, uploadForm, type TestService } from './service.js';
import { syntheticCsv } from './synthetic.js';

let t: TestService;
let again: Service | null = null;
let firstClosed = false;
let auditBefore: unknown;
afterAll(async () => {
  await again?.close();
  if (firstClosed) rmSync(t.dir, { recursive: true, force: true });
  else await t?.close();
});

const BT = { dataset: 'synth', units: 'grid:1000', models: ['moving-average:window=28', 'persistence'], testFrom: '2024-03-18', bootstrap: 50 };
const FC = { dataset: 'synth', units: 'grid:1000', model: 'moving-average:window=28', horizon: 7, coverage: 0.1 };

describe('results survive a restart', () => {
  it('keeps typed arrays exact through the stored encoding', () => {
    const v = { a: Float64Array.from([0.1, -1e300, Number.MAX_VALUE]), b: { c: Float32Array.from([1.5, 2.25]) }, g: new TextEncoder().encode('{"x":1}'), n: [1, 2] };
    const back = decodeResult<typeof v>(encodeResult(v));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Array.from(back.a)).toEqual(Array.from(v.a));
    expect(back.b.c).toBeInstanceOf(Float32Array);
    expect(Array.from(back.b.c)).toEqual([1.5, 2.25]);
    expect(new TextDecoder().decode(back.g)).toBe('{"x":1}');
    expect(back.n).toEqual([1, 2]);
    // saved files are numbered by their job (pruning keeps the newest 100): gzipped and older plain names alike
    expect(['backtest-12.json.gz', 'backtest-9.json', 'backtest-3'].map(jobSeq)).toEqual([12, 9, 3]);
  });

  it('lists and serves the earlier backtest, forecast and allocation, and numbers new ones after them', async () => {
    t = await startTestService();
    let app = t.service.app;
    // as startTestService's call, but to whichever service runs now
    const call = (as: 'analyst' | 'viewer', method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { authorization: `Bearer ${t.keys[as]}` };
      if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
      return Promise.resolve(app.request(path, { method, headers, body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body) }));
    };
    expect((await call('analyst', 'POST', '/api/datasets/synth/upload', uploadForm(syntheticCsv({ days: 90 })))).status).toBe(200);
    const job = await (await call('analyst', 'POST', '/api/backtests', BT)).json() as { id: string };
    await t.service.ctx.jobs.idle();
    const before = await (await call('viewer', 'GET', `/api/backtests/${job.id}`)).json() as { status: string; result: { leaderboard: unknown; hitRateCurves: unknown } };
    expect(before.status).toBe('done');
    const pubRes = await call('analyst', 'POST', '/api/forecasts', FC);
    expect(pubRes.status).toBe(201);
    const pub = await pubRes.json() as { id: number; summary: { expectedTotal: number } };
    const geoBefore = await (await call('viewer', 'GET', `/api/forecasts/${pub.id}`)).text();
    const plan = await (await call('analyst', 'POST', '/api/allocations', { forecast: pub.id, budget: 10 })).json();

    // owner-only files, one per backtest and per model and dataset, in the store's own results folder
    const dir = join(t.dir, 'serve', 'results', 'store.duckdb');
    const files = ['latest-allocation.json.gz', ...readdirSync(join(dir, 'backtests')).map((f) => `backtests/${f}`), ...readdirSync(join(dir, 'forecasts')).map((f) => `forecasts/${f}`)];
    expect(files).toHaveLength(3);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    await t.service.close();
    firstClosed = true;
    const logs: string[] = [];
    again = await createService({ store: join(t.dir, 'store.duckdb'), webDir: null, threads: false, rateLimit: null, log: (l) => logs.push(l) });
    app = again.app; // the same users and keys (users.json)
    expect(logs).toContain(`restored 1 backtest(s) and 1 forecast(s) from ${dir}`);

    const list = await (await call('viewer', 'GET', '/api/backtests')).json() as { backtests: { id: string; status: string }[] };
    expect(list.backtests.map((b) => [b.id, b.status])).toEqual([[job.id, 'done']]);
    const after = await (await call('viewer', 'GET', `/api/backtests/${job.id}`)).json() as typeof before;
    expect(after.result).toEqual(before.result);
    const fcs = await (await call('viewer', 'GET', '/api/forecasts')).json() as { forecasts: { id: number; summary: { expectedTotal: number } }[] };
    expect(fcs.forecasts.map((f) => [f.id, f.summary.expectedTotal])).toEqual([[pub.id, pub.summary.expectedTotal]]);
    expect(await (await call('viewer', 'GET', `/api/forecasts/${pub.id}`)).text()).toBe(geoBefore);
    expect((await call('viewer', 'GET', '/api/forecasts/latest?dataset=synth')).headers.get('x-forecast-id')).toBe(String(pub.id));
    expect(await (await call('viewer', 'GET', '/api/allocations/latest')).json()).toEqual(plan);

    // the restored publication's series and unit set work as before: a new allocation from it gives the same plan
    const geo = JSON.parse(geoBefore) as { features: { properties: { id: string } }[] };
    const series = await call('analyst', 'GET', `/api/forecasts/${pub.id}/series?region=${geo.features[0].properties.id}&periods=14`);
    expect(series.status).toBe(200);
    expect((await series.json() as { observed: unknown[]; predicted: unknown[] }).predicted).toHaveLength(7);
    expect(await (await call('analyst', 'POST', '/api/allocations', { forecast: pub.id, budget: 10 })).json()).toEqual(plan);

    // an audit of the restored backtest, and new work numbered after the restored ids
    const weights = Object.fromEntries(geo.features.map((f) => [f.properties.id, 1]));
    const audit = await call('analyst', 'POST', '/api/audits', { backtest: job.id, coverage: 0.1, bootstrap: 20, groups: [{ name: 'everyone', weights }] });
    expect(audit.status).toBe(200);
    auditBefore = await audit.json();
    const nextRes = await call('analyst', 'POST', '/api/forecasts', { ...FC, model: 'moving-average:window=7' });
    const next = await nextRes.json() as { id: number; error?: string };
    expect(next.error, logs.join('\n')).toBeUndefined();
    expect(next.id).toBe(pub.id + 1);
    const job2 = await (await call('analyst', 'POST', '/api/backtests', { ...BT, models: ['persistence'] })).json() as { id: string };
    expect(job2.id).not.toBe(job.id);
    await again.ctx.jobs.idle();
  });

  it('leaves out an unreadable saved file, naming it, and still starts', async () => {
    const dir = join(t.dir, 'serve', 'results', 'store.duckdb');
    const bad = join(dir, 'backtests', 'backtest-77.json'); // plain JSON, as earlier versions wrote, is still read
    writeFileSync(bad, '{"id": "backtest-77", trunc');
    await again!.close();
    const logs: string[] = [];
    again = await createService({ store: join(t.dir, 'store.duckdb'), webDir: null, threads: false, rateLimit: null, log: (l) => logs.push(l) });
    expect(logs.some((l) => l.includes(`saved result ${bad} left out: it could not be read`))).toBe(true);
    expect(again.ctx.jobs.list('backtest').map((j) => j.status)).toEqual(['done', 'done']);
    expect(readFileSync(bad, 'utf8')).toContain('trunc');
    // the audit made after the first restart came back too
    expect(JSON.parse(JSON.stringify(again.ctx.latest.audit))).toEqual(auditBefore);
  });
});
