/** The `tensor` and `grid` commands end to end on a small headerless CSV in the stshn-chicago format. */
import { describe, it, expect, afterAll, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register as registerTensor } from '../../src/cli/commands/tensor.js';
import { register as registerGrid } from '../../src/cli/commands/grid.js';
import { readTensorFile } from '../../src/tensor/io.js';
import { closeStore, ingestFile, openStore } from '../../src/data/store.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 3 days × 2 places × 2 categories; the first row is the dropped "header" quirk
const rows = [
  '01/01/2016 12:30:00 AM,THEFT,41.90,-87.70',
  '03/12/2017 12:10:00 AM,THEFT,41.70,-87.90',
  '03/12/2017 11:50:00 PM,THEFT,41.70,-87.90',
  '03/13/2017 01:00:00 AM,BATTERY,41.70,-87.90',
  '03/13/2017 09:00:00 PM,THEFT,41.95,-87.55',
  '03/14/2017 11:59:00 PM,BATTERY,41.95,-87.55',
];
const csv = join(dir, 'mini.csv');
writeFileSync(csv, rows.join('\n') + '\n');

async function run(register: (p: Command) => void, args: string[]): Promise<Record<string, unknown>> {
  const program = new Command().exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'crimecast', ...args]);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(out) as Record<string, unknown>;
}

describe('crimecast tensor / grid', () => {
  it('builds a daily ST-SHN tensor from a file', async () => {
    const out = join(dir, 't.npy');
    const res = await run(registerTensor, ['tensor', '--input', csv, '--preset', 'stshn-chicago', '--drop-first-row', '--units', 'stshn:origin=chicago',
      '--period', 'day', '--from', '2017-03-12', '--to', '2017-03-14', '--categories', 'THEFT,BATTERY', '--out', out, '--json']);
    expect(res.shape).toEqual([3, 168, 2]);
    expect(res.firstPeriod).toBe('2017-03-12');
    expect(res.partialPeriods).toEqual({ first: false, last: false });
    expect(res.report).toEqual({ total: 5, counted: 5, outsideUnits: 0, outsidePeriods: 0, otherCategory: 0, dropped: 0 });
    const t = readTensorFile(out);
    // (41.70, -87.90): row int(0.0554·37) = 2, col int(0.0279·28) = 0 → region 24
    const at = (p: number, r: number, c: number) => t.data[(p * 168 + r) * 2 + c];
    expect(at(0, 24, 0)).toBe(2); // both 03/12 thefts fall in the 23-hour local day
    expect(at(1, 24, 1)).toBe(1);
    // (41.95, -87.55): row int(0.3054·37) = 11, col int(0.3779·28) = 10 → region 142
    expect(at(1, 142, 0)).toBe(1);
    expect(at(2, 142, 1)).toBe(1);
    expect(t.data.reduce((s, v) => s + v, 0)).toBe(5);
  });

  it('writes unit sets as GeoJSON with incident counts', async () => {
    const out = join(dir, 'units.geojson');
    const res = await run(registerGrid, ['grid', '--input', csv, '--preset', 'stshn-chicago', '--units', 'grid:cell=5000,mask=incidents', '--out', out, '--json']);
    expect(res.regions).toBe(3);
    expect(res.incidents).toEqual({ total: 6, inside: 6 });
    const fc = JSON.parse(readFileSync(out, 'utf8')) as { features: { properties: { incidents: number; area_m2: number } }[] };
    expect(fc.features.map((f) => f.properties.incidents).sort()).toEqual([1, 2, 3]);
    expect(fc.features[0].properties.area_m2).toBe(25e6);
    const bboxOnly = await run(registerGrid, ['grid', '--units', 'grid:1000', '--bbox', '-87.70,41.80,-87.60,41.90', '--out', join(dir, 'g.geojson'), '--json']);
    expect(bboxOnly.lattice).toEqual({ rows: 12, cols: 9 });
    expect(bboxOnly.incidents).toBeNull();
  });

  it('reads incidents from the store, filtered by date and category', async () => {
    const storeFile = join(dir, 'store.duckdb');
    const store = await openStore(storeFile);
    try {
      await ingestFile(store, csv, { preset: 'stshn-chicago', dataset: 'mini', rejectsPath: join(dir, 'rejects.jsonl') });
    } finally {
      closeStore(store);
    }
    const out = join(dir, 'w.csv');
    const res = await run(registerTensor, ['tensor', '--store', storeFile, '--dataset', 'mini', '--units', 'stshn:origin=chicago', '--period', 'week',
      '--from', '2017-03-13', '--to', '2017-03-19', '--categories', 'BATTERY', '--out', out, '--json']);
    // one ISO week (Mon 13 – Sun 19 March 2017) and the two batteries in it
    expect(res.shape).toEqual([1, 168, 1]);
    expect(res.report).toMatchObject({ total: 2, counted: 2 });
    expect(res.partialPeriods).toEqual({ first: false, last: false });
    const t = readTensorFile(out);
    expect(t.unit).toBe('week');
    expect(t.data[24]).toBe(1);
    expect(t.data[142]).toBe(1);
  }, 20_000);

  it('flags a window that cuts a month', async () => {
    const res = await run(registerTensor, ['tensor', '--input', csv, '--preset', 'stshn-chicago', '--units', 'stshn:origin=chicago', '--period', 'month',
      '--from', '2017-03-13', '--to', '2017-03-31', '--out', join(dir, 'm.npy'), '--json']);
    expect(res.shape).toEqual([1, 168, 2]);
    expect(res.partialPeriods).toEqual({ first: true, last: false });
    // the month bin is whole, so the 03/12 thefts before --from are counted too
    expect(res.report).toMatchObject({ total: 6, counted: 5, outsidePeriods: 1 });
  });

  it('rejects a bad period or output name', async () => {
    await expect(run(registerTensor, ['tensor', '--input', csv, '--units', 'stshn', '--period', 'fortnight', '--out', join(dir, 'x.npy')])).rejects.toThrow(/unknown period/);
    await expect(run(registerTensor, ['tensor', '--input', csv, '--units', 'stshn', '--out', join(dir, 'x.parquet')])).rejects.toThrow(/\.npy or \.csv/);
  });
});
