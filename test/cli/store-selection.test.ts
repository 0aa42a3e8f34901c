/** An empty selection says what the store holds; a missing store points at the demo's instead of creating one. */
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommandIncidents } from '../../src/cli/incident-source.js';
import { requireExistingStore } from '../../src/cli/store-selection.js';
import { openIncidentStore } from '../../src/store/open.js';
import { UserError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-selection-'));
const store = join(dir, 'a.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // 3 incidents on 2021-03-01..03 local time in Auckland (UTC+13 in March)
  const csv = join(dir, 'x.csv');
  writeFileSync(csv, 'id,when,lat,lon,type\n1,2021-03-01 10:00,-36.85,174.76,BURGLARY\n2,2021-03-02 11:00,-36.86,174.77,THEFT\n3,2021-03-03 23:30,-36.84,174.75,THEFT\n');
  const s = await openIncidentStore(store);
  try {
    await s.ingestFile(csv, { dataset: 'akl', idCol: 'id', timeCol: 'when', latCol: 'lat', lonCol: 'lon', categoryCol: 'type', tz: 'Pacific/Auckland', rejectsPath: join(dir, 'r.jsonl') });
  } finally { await s.close(); }
});

const err = async (p: Promise<unknown>) => (await p.then(() => null, (e: unknown) => e)) as UserError;

describe('empty selections and missing stores', () => {
  it('an unknown dataset lists the datasets the store has', async () => {
    const e = await err(loadCommandIncidents({ store, dataset: 'nope' }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/no dataset "nope"/);
    expect(e.hint).toMatch(/datasets: akl/);
  });

  it('a window outside the data says the span in local time, the zone and the categories', async () => {
    const e = await err(loadCommandIncidents({ store, dataset: 'akl', from: '2022-01-01' }));
    expect(e.message).toBe('no incidents match the selection (--from 2022-01-01): "akl" holds 3 incidents from 2021-03-01 10:00 to 2021-03-03 23:30 (Pacific/Auckland), categories THEFT, BURGLARY');
    expect(e.hint).toMatch(/crimecast info/);
  });

  it('a missing store is not created, and the demo store is pointed at when it exists', async () => {
    const missing = join(dir, 'crimecast.duckdb');
    const e1 = await err(loadCommandIncidents({ store: missing }));
    expect(e1.message).toMatch(/^no store at /);
    expect(e1.hint).toMatch(/npx crimecast demo/);
    expect(existsSync(missing)).toBe(false);
    copyFileSync(store, join(dir, 'demo.duckdb'));
    expect(() => requireExistingStore(missing)).toThrow(UserError);
    try { requireExistingStore(missing); } catch (e) { expect((e as UserError).hint).toMatch(/the demo's store is .*demo\.duckdb: pass --store .*demo\.duckdb/); }
  });
});
