import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { register as registerIngest } from '../../src/cli/commands/ingest.js';
import { register as registerInfo } from '../../src/cli/commands/info.js';
import { openIncidentStore, type IncidentStore } from '../../src/store/open.js';
import { buildDataset } from '../../src/tensor/dataset.js';
import { REPO_ROOT } from '../helpers.js';
import { describeWithServices, freshSchema, serviceUrl } from './services.js';

const SAMPLE = join(REPO_ROOT, 'data/sample/chicago_2017_09_12.csv');
const BAD = join(REPO_ROOT, 'data/sample/bad_rows.csv');

/** Index of the first differing element, or -1 (vitest's deep equality is far too slow on 70k-element arrays). */
function firstDiff(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describeWithServices('PostgreSQL/PostGIS store', ['CRIMECAST_TEST_PG_URL'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-pgstore-'));
  let pgs: IncidentStore, duck: IncidentStore, url: string, drop: () => Promise<void>;

  beforeAll(async () => {
    ({ url, drop } = await freshSchema(serviceUrl('CRIMECAST_TEST_PG_URL')!, 'store'));
    pgs = await openIncidentStore(url);
    duck = await openIncidentStore(`duckdb:${join(dir, 'ref.duckdb')}`);
    for (const s of [pgs, duck]) {
      await s.ingestFile(SAMPLE, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, `${s.kind}-chi.jsonl`) });
    }
  });
  afterAll(async () => {
    await pgs?.close();
    await duck?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try { return (await c.query(text, params)).rows as T[]; } finally { await c.end(); }
  }

  it('is selected by the URL and hides the password when printed', async () => {
    expect(pgs.kind).toBe('postgres');
    expect(duck.kind).toBe('duckdb');
    await expect(openIncidentStore('postgres://u:secret@127.0.0.1:1/none')).rejects.toThrow(/cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/none/);
    await expect(openIncidentStore('mysql://x/y')).rejects.toThrow(/unsupported store URL/);
  });

  it('ingests the sample twice without duplicates: a PostGIS point per incident, same categories as DuckDB', async () => {
    const again = await pgs.ingestFile(SAMPLE, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'again.jsonl') });
    expect([again.rows, again.ingested, again.duplicates, again.rejected]).toEqual([53_062, 0, 53_062, 0]);
    const [row] = await sql<{ n: string; ids: string; pts: string; srid: number }>(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(*) FILTER (WHERE ST_X(geom) = lon AND ST_Y(geom) = lat) AS pts, min(ST_SRID(geom)) AS srid
       FROM incidents WHERE dataset = 'chi'`);
    expect([Number(row.n), Number(row.ids), Number(row.pts), row.srid]).toEqual([53_062, 53_062, 53_062, 4326]);
    const [p, d] = [await pgs.info('chi'), await duck.info('chi')];
    expect(p.datasets[0].categories).toEqual(d.datasets[0].categories);
    expect(p.datasets[0].categories[0]).toEqual({ category: 'THEFT', count: 21_639 });
    const { files: _pf, ...pRest } = p.datasets[0];
    const { files: _df, ...dRest } = d.datasets[0];
    expect(pRest).toEqual(dRest);
    expect(p.path).not.toContain('secret');
  });

  it('keeps rejects with file, line and reason, replaced (not repeated) on re-ingest', async () => {
    const rejectsPath = join(dir, 'rej', 'bad.jsonl');
    for (let k = 0; k < 2; k++) {
      const r = await pgs.ingestFile(BAD, { preset: 'stshn-chicago', dataset: 'bad', rejectsPath });
      expect([r.rows, r.ingested, r.duplicates, r.rejected]).toEqual([13, k === 0 ? 6 : 0, k === 0 ? 0 : 6, 7]);
    }
    const rows = await sql<{ file: string; line: number; reason: string }>(
      `SELECT file, line, reason FROM rejects WHERE dataset = 'bad' ORDER BY line`);
    expect(rows.map((r) => r.line)).toEqual([3, 5, 6, 7, 8, 9, 13]);
    expect(new Set(rows.map((r) => r.file))).toEqual(new Set(['bad_rows.csv']));
    expect(rows[0].reason).toBe('bad-date');
    const file = readFileSync(rejectsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(file.map((l) => [l.line, l.reason])).toEqual(rows.map((r) => [r.line, r.reason]));
    expect(statSync(rejectsPath).mode & 0o077).toBe(0);
    // the embedded store keeps exactly the same rejects
    await duck.ingestFile(BAD, { preset: 'stshn-chicago', dataset: 'bad', rejectsPath: join(dir, 'duck-bad.jsonl') });
    expect((await pgs.info('bad')).datasets[0]).toEqual((await duck.info('bad')).datasets[0]);
  });

  it('leaves the store unchanged when an ingest fails mid-file', async () => {
    const other = join(dir, 'shifted.csv');
    writeFileSync(other, readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 20_000).join('\n').replaceAll('/2017 ', '/2016 '));
    await expect(pgs.ingestFile(other, {
      preset: 'stshn-chicago', dataset: 'chi', onStage: (n) => { if (n > 0 && n < 20_000) throw new Error('simulated crash'); },
    })).rejects.toThrow('simulated crash');
    expect((await pgs.info('chi')).datasets[0].incidents).toBe(53_062);
    const ok = await pgs.ingestFile(other, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'ok.jsonl') });
    expect(ok.ingested).toBe(20_000);
    await duck.ingestFile(other, { preset: 'stshn-chicago', dataset: 'chi', rejectsPath: join(dir, 'ok2.jsonl') });
  });

  it('answers queries (dates, categories, box, polygon) and aggregates to the same count tensor as DuckDB', async () => {
    const box: [number, number, number, number] = [-87.7, 41.85, -87.6, 41.95];
    const tri = { type: 'Polygon' as const, coordinates: [[[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[1]]]] };
    for (const q of [
      { dataset: 'chi' },
      { dataset: 'chi', from: '2017-10-01', to: '2017-10-31', categories: ['THEFT', 'ASSAULT'] },
      { dataset: 'chi', bbox: box },
      { dataset: 'chi', polygon: tri, from: '2017-11-01' },
    ]) {
      const [a, b] = [await pgs.loadIncidents(q), await duck.loadIncidents(q)];
      expect(a.n).toBeGreaterThan(1000);
      expect([a.n, a.tz, a.categories]).toEqual([b.n, b.tz, b.categories]);
      for (const k of ['id', 't', 'lat', 'lon', 'cat'] as const) expect([k, firstDiff(a[k], b[k])]).toEqual([k, -1]);
    }
    const [a, b] = [await pgs.loadIncidents({ dataset: 'chi' }), await duck.loadIncidents({ dataset: 'chi' })];
    expect(a.n).toBe(73_062);
    const ta = buildDataset(a, { units: 'grid:500', period: 'day' }).tensor;
    const tb = buildDataset(b, { units: 'grid:500', period: 'day' }).tensor;
    expect([ta.periods, ta.regions, ta.categories]).toEqual([tb.periods, tb.regions, tb.categories]);
    expect(firstDiff(ta.data, tb.data)).toBe(-1);
    expect(ta.data.reduce((s, x) => s + x, 0)).toBe(73_062);
    await expect(pgs.info('nope')).rejects.toThrow(/no dataset "nope"/);
  });

  // a SIGKILLed ingest at every stage of the transaction: postgres-crash.test.ts

  it('is what `crimecast ingest/info --store postgres://…` use', async () => {
    const run = async (...args: string[]) => {
      const program = new Command().exitOverride();
      registerIngest(program);
      registerInfo(program);
      let out = '';
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
      try { await program.parseAsync(['node', 'crimecast', ...args]); } finally { spy.mockRestore(); }
      return JSON.parse(out);
    };
    const a = await run('ingest', BAD, '--preset', 'stshn-chicago', '--dataset', 'cli', '--store', url, '--rejects', join(dir, 'cli.jsonl'), '--json');
    expect(a.total).toEqual({ rows: 13, ingested: 6, duplicates: 0, rejected: 7 });
    expect(a.store).toMatch(/^postgres:\/\//);
    const info = await run('info', '--store', url, '--dataset', 'cli', '--json');
    expect([info.datasets[0].incidents, info.datasets[0].rejects, info.datasets[0].files]).toEqual([6, 7, ['bad_rows.csv']]);
  });
});
