/**
 * The published ST-SHN Chicago tensors must be rebuilt EXACTLY from the raw CSV with our grid, bins and builder.
 * The raw file is read twice: with a minimal parser of its 4 headerless columns (so the space/time/tensor code is
 * checked independently of ingest), and with the product's readIncidentFile and its stshn-chicago preset.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { hasShared, sharedPath } from '../helpers.js';
import { incidentTableFromColumns } from '../../src/data/incident-table.js';
import { localToUtc } from '../../src/time/zone.js';
import { makeBinning } from '../../src/time/bins.js';
import { buildStshnGrid, STSHN_CHICAGO_ORIGIN } from '../../src/space/stshn-grid.js';
import { buildCountTensor } from '../../src/tensor/build.js';
import { loadStshnBenchmark, STSHN_CATEGORIES, STSHN_TZ } from '../../src/tensor/stshn.js';
import { readIncidentFile } from '../../src/data/ingest/read.js';
import type { IncidentTable } from '../../src/data/incident-table.js';

const RAW = 'stshn-chicago-2016-2017/raw/CHI_Crime.csv';
const NPY = 'stshn-chicago-2016-2017/tensors_npy';

/** "MM/DD/YYYY hh:mm:ss AM" local time → UTC ms. */
function parseUsDateTime(s: string, tz: string): number {
  const mo = +s.slice(0, 2), d = +s.slice(3, 5), y = +s.slice(6, 10);
  let h = +s.slice(11, 13);
  const mi = +s.slice(14, 16), se = +s.slice(17, 19), pm = s.charCodeAt(20) === 80; // 'P'
  if (h === 12) h = 0;
  if (pm) h += 12;
  return localToUtc(y, mo, d, h, mi, se, 0, tz);
}

function readChiCsv(path: string, dropFirstRow: boolean) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const t: number[] = [], lat: number[] = [], lon: number[] = [], category: string[] = [];
  for (let i = dropFirstRow ? 1 : 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    const a = line.indexOf(','), b = line.indexOf(',', a + 1), c = line.indexOf(',', b + 1);
    t.push(parseUsDateTime(line.slice(0, a), STSHN_TZ));
    category.push(line.slice(a + 1, b));
    lat.push(Number(line.slice(b + 1, c)));
    lon.push(Number(line.slice(c + 1)));
  }
  return incidentTableFromColumns({ t, lat, lon, category, tz: STSHN_TZ });
}

describe.runIf(hasShared(RAW) && hasShared(`${NPY}/trn.npy`))('ST-SHN Chicago tensors rebuilt exactly', () => {
  let bench: ReturnType<typeof loadStshnBenchmark> | undefined;
  function checkExact(table: IncidentTable): void {
    expect(table.n).toBe(321_876);
    const units = buildStshnGrid({ points: table });
    // the origin from the data (first row dropped) is the published one
    expect(units.minLat).toBe(STSHN_CHICAGO_ORIGIN.minLat);
    expect(units.minLon).toBe(STSHN_CHICAGO_ORIGIN.minLon);
    expect(units.n).toBe(168);
    const binning = makeBinning({ unit: 'day', tz: STSHN_TZ, start: '2016-01-01', end: '2017-12-31' });
    expect(binning.periods).toBe(731);
    const built = buildCountTensor(table, units, binning, { categories: [...STSHN_CATEGORIES] });
    expect(built.report).toEqual({ total: 321_876, counted: 321_876, outsideUnits: 0, outsidePeriods: 0, otherCategory: 0, dropped: 0 });

    bench ??= loadStshnBenchmark(sharedPath(NPY));
    expect(bench.splits).toEqual({ trn: [0, 609], val: [609, 639], tst: [639, 731] });
    expect(Array.from(bench.tensor.periodStart)).toEqual(Array.from(binning.periodStart));
    expect(bench.tensor.data.length).toBe(built.tensor.data.length);
    let mismatches = 0, total = 0;
    const a = built.tensor.data, b = bench.tensor.data;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) mismatches++;
      total += b[i];
    }
    expect(mismatches).toBe(0);
    expect(total).toBe(321_876);
    // the README's per-split totals
    const stride = 168 * 4;
    const sum = (from: number, to: number) => b.subarray(from * stride, to * stride).reduce((s, v) => s + v, 0);
    expect([sum(0, 609), sum(609, 639), sum(639, 731)]).toEqual([268_815, 14_035, 39_026]);
  }

  it('equals trn/val/tst.npy cell for cell (minimal CSV reader)', () => {
    checkExact(readChiCsv(sharedPath(RAW), true));
  });

  it('equals them too when read by readIncidentFile with the stshn-chicago preset', async () => {
    const { table, summary } = await readIncidentFile(sharedPath(RAW), { preset: 'stshn-chicago', dropFirstRow: true });
    expect(summary.rejected).toBe(0);
    checkExact(table);
  }, 20_000);
});
