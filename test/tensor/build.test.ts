import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { incidentTableFromColumns } from '../../src/data/incident-table.js';
import { buildStshnGrid } from '../../src/space/stshn-grid.js';
import { makeBinning } from '../../src/time/bins.js';
import { localToUtc } from '../../src/time/zone.js';
import { buildCountTensor } from '../../src/tensor/build.js';
import { readTensorFile, writeTensorFile } from '../../src/tensor/io.js';
import { tensorIndex } from '../../src/tensor/count-tensor.js';

const TZ = 'America/Chicago';
const dir = mkdtempSync(join(tmpdir(), 'cc-tensor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a 2×2 degree grid of 1° cells: origin (40, -90), 1 km cells at 1 km per degree
const units = buildStshnGrid({ minLat: 40, minLon: -90, rows: 2, cols: 2, kmPerDegLat: 1, kmPerDegLon: 1, cellKm: 1 });
const at = (d: number, h: number) => localToUtc(2017, 3, d, h, 0, 0, 0, TZ);
const table = incidentTableFromColumns({
  t: [at(11, 10), at(11, 23), at(12, 1), at(12, 23), at(13, 0), at(12, 5), at(14, 0), at(12, 6)],
  lat: [40.5, 40.5, 41.5, 40.2, 40.9, 39.0, 40.5, 41.1],
  lon: [-89.5, -89.5, -88.5, -88.7, -89.9, -89.5, -89.5, -89.9],
  category: ['THEFT', 'BATTERY', 'THEFT', 'THEFT', 'THEFT', 'THEFT', 'THEFT', 'ARSON'],
  tz: TZ,
});
const binning = makeBinning({ unit: 'day', tz: TZ, start: '2017-03-11', end: '2017-03-13' });

describe('count tensor builder', () => {
  it('counts one pass and reports what it could not place', () => {
    const { tensor, report, incidentRegion, incidentCategory, incidentPeriod } = buildCountTensor(table, units, binning);
    expect(tensor.categoryNames).toEqual(['THEFT', 'BATTERY', 'ARSON']);
    expect([tensor.periods, tensor.regions, tensor.categories]).toEqual([3, 4, 3]);
    expect(tensor.data[tensorIndex(tensor, 0, 0, 0)]).toBe(1);
    expect(tensor.data[tensorIndex(tensor, 0, 0, 1)]).toBe(1);
    expect(tensor.data[tensorIndex(tensor, 1, 3, 0)]).toBe(1);
    expect(tensor.data[tensorIndex(tensor, 1, 1, 0)]).toBe(1);
    expect(tensor.data[tensorIndex(tensor, 2, 0, 0)]).toBe(1);
    expect(tensor.data[tensorIndex(tensor, 1, 2, 2)]).toBe(1);
    expect(tensor.data.reduce((s, v) => s + v, 0)).toBe(6);
    expect(report).toEqual({ total: 8, counted: 6, outsideUnits: 1, outsidePeriods: 1, otherCategory: 0, dropped: 2 });
    expect(Array.from(incidentRegion)).toEqual([0, 0, 3, 1, 0, -1, 0, 2]);
    expect(Array.from(incidentPeriod)).toEqual([0, 0, 1, 1, 2, 1, -1, 1]);
    expect(Array.from(incidentCategory)).toEqual([0, 1, 0, 0, 0, 0, 0, 2]);
  });

  it('selects and orders categories, counting the others as dropped', () => {
    const { tensor, report } = buildCountTensor(table, units, binning, { categories: ['BATTERY', 'THEFT'] });
    expect(tensor.categoryNames).toEqual(['BATTERY', 'THEFT']);
    expect(tensor.data[tensorIndex(tensor, 0, 0, 0)]).toBe(1);
    expect(report.otherCategory).toBe(1);
    expect(report.counted).toBe(5);
    expect(() => buildCountTensor(table, units, binning, { categories: ['THEFTS'] })).toThrow(/unknown category "THEFTS"/);
  });

  it('round-trips through .npy (+ sidecar) and long CSV', () => {
    const { tensor } = buildCountTensor(table, units, binning);
    for (const name of ['t.npy', 't.csv']) {
      const p = join(dir, name);
      writeTensorFile(p, tensor);
      const back = readTensorFile(p);
      expect(back.regionIds).toEqual(tensor.regionIds);
      expect(back.categoryNames).toEqual(tensor.categoryNames);
      expect(Array.from(back.periodStart)).toEqual(Array.from(tensor.periodStart));
      expect(back.unit).toBe('day');
      expect(back.tz).toBe(TZ);
      expect(Array.from(back.data)).toEqual(Array.from(tensor.data));
    }
    const csv = readFileSync(join(dir, 't.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('period_start,region,category,count');
    expect(csv[1]).toBe('2017-03-11T00:00:00-06:00,0,THEFT,1');
    expect(csv.length).toBe(1 + 3 * 4 * 3 + 1);
    expect(() => writeTensorFile(join(dir, 't.txt'), tensor)).toThrow(/cannot tell the tensor format/);
  });
});
