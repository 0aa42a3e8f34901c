import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openIncidentStore, type IncidentStore } from '../../src/store/open.js';
import { UserError } from '../../src/util/errors.js';
import { describeWithServices, freshSchema, serviceUrl } from './services.js';

// Issue 20's store-side guards give the same answers in PostgreSQL as in the embedded store: a second time zone is
// refused, same-id-other-content rows become conflicting-duplicate rejects with their line, and a rejects file
// that cannot be written leaves the store unchanged.
describeWithServices('ingest guards in both stores', ['CRIMECAST_TEST_PG_URL'], () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-guards-both-'));
  let stores: IncidentStore[] = [];
  let drop: () => Promise<void>;
  const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const opts = { timeCol: 'time', categoryCol: 'category', latCol: 'lat', lonCol: 'lon', idCol: 'id', tz: 'America/Chicago' };
  const HEAD = 'id,time,category,lat,lon\n';

  beforeAll(async () => {
    const fresh = await freshSchema(serviceUrl('CRIMECAST_TEST_PG_URL')!, 'guards');
    drop = fresh.drop;
    stores = [await openIncidentStore(fresh.url), await openIncidentStore(`duckdb:${join(dir, 'ref.duckdb')}`)];
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('conflicting duplicates, tz clash and an unwritable rejects file, identically', async () => {
    const f = write('dups.csv', HEAD + '1,2017-09-05 12:00,THEFT,41.85,-87.65\n2,2017-09-05 13:00,BATTERY,41.8,-87.6\n' +
      '1,2017-09-05 12:00,THEFT,41.85,-87.65\n1,2017-09-05 12:00,ROBBERY,41.85,-87.65\n');
    const g = write('dups2.csv', HEAD + '2,2017-09-05 14:00,BATTERY,41.8,-87.6\n3,2017-09-05 15:00,THEFT,41.8,-87.6\n4,yesterday,THEFT,41.8,-87.6\n');
    for (const s of stores) {
      const rejectsPath = join(dir, `${s.kind}.jsonl`);
      for (const k of [0, 1]) {
        const r = await s.ingestFile(f, { ...opts, dataset: 'dups', rejectsPath });
        expect([r.rows, r.ingested, r.duplicates, r.rejected], s.kind).toEqual(k === 0 ? [4, 2, 1, 1] : [4, 0, 3, 1]);
        expect(readFileSync(rejectsPath, 'utf8')).toContain('"line":5,"reason":"conflicting-duplicate"');
      }
      const r = await s.ingestFile(g, { ...opts, dataset: 'dups', rejectsPath: join(dir, `${s.kind}-2.jsonl`) });
      expect([r.rows, r.ingested, r.duplicates, r.rejected], s.kind).toEqual([3, 1, 0, 2]);
      const utc = await s.ingestFile(g, { ...opts, tz: 'UTC', dataset: 'dups' }).catch((e: unknown) => e) as UserError;
      expect(utc, s.kind).toBeInstanceOf(UserError);
      expect(utc.message).toContain('holds times in America/Chicago');
      writeFileSync(join(dir, 'blocker'), '');
      const rej = await s.ingestFile(g, { ...opts, dataset: 'other', rejectsPath: join(dir, 'blocker', 'r.jsonl') }).catch((e: unknown) => e) as UserError;
      expect(rej, s.kind).toBeInstanceOf(UserError);
      expect(rej.message).toMatch(/cannot write the rejects file.*nothing was committed/);
      const info = await s.info();
      expect(info.datasets.map((d) => [d.dataset, d.incidents, d.rejects]), s.kind).toEqual([['dups', 3, 3]]);
    }
  });
});
