import { describe, it, expect } from 'vitest';
import { buildFeatures } from '../../src/features/build.js';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { adjacencyFromLists, type SpatialUnits } from '../../src/space/units.js';
import type { History } from '../../src/models/forecaster.js';
import { incidentTableFromColumns } from '../../src/data/incident-table.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2017, 0, 2, 6); // Monday 2017-01-02 00:00 in Chicago

/** 6 days × 2 regions × 2 categories; region 0 has counts 1..6 in category 0. */
function history(): History {
  const periods = 6, R = 2, C = 2;
  const data = new Float32Array(periods * R * C);
  for (let p = 0; p < periods; p++) {
    data[(p * R + 0) * C + 0] = p + 1; // r0 c0: 1 2 3 4 5 6
    data[(p * R + 0) * C + 1] = 1; // r0 c1: always 1
    data[(p * R + 1) * C + 0] = 10 * (p % 2); // r1 c0: 0 10 0 10 0 10
  }
  const tensor = createTensor({
    periods, regions: R, categories: C, categoryNames: ['THEFT', 'BATTERY'], regionIds: ['a', 'b'],
    periodStart: Float64Array.from({ length: periods }, (_, p) => T0 + p * DAY), unit: 'day', tz: 'America/Chicago',
  }, data);
  const units: SpatialUnits = {
    kind: 'polygons', n: 2, ids: ['a', 'b'], area: Float64Array.of(1, 1),
    centroidLat: Float64Array.of(41.8, 41.8), centroidLon: Float64Array.of(-87.7, -87.69),
    adjacency: adjacencyFromLists([[1], [0]]), assign: () => new Int32Array(0),
    geometry: () => ({ type: 'Polygon', coordinates: [] }), spec: {},
  };
  return { tensor, units };
}

describe('feature builder', () => {
  it('computes lags, rolling windows, other categories, spatial lags and calendar by hand', () => {
    const h = history();
    const m = buildFeatures(h, { from: 4, to: 5, categories: [0], regions: [0] }, { lags: [1, 2], windows: [3], spatialWindows: [3] });
    const get = (name: string) => m.X[m.names.indexOf(name)];
    expect(m.nRows).toBe(1);
    expect(m.y[0]).toBe(5); // period 4 of r0 c0
    expect(get('lag_1')).toBe(4); // period 3
    expect(get('lag_2')).toBe(3);
    expect(get('mean_3')).toBeCloseTo((2 + 3 + 4) / 3); // periods 1..3
    expect(get('max_3')).toBe(4);
    expect(get('other_mean_3')).toBeCloseTo(1); // category 1 over periods 1..3
    expect(get('nbr_mean_3')).toBeCloseTo((10 + 0 + 10) / 3); // region 1, cat 0, periods 1..3
    expect(get('dow')).toBe(4); // 2017-01-06 is a Friday (Mon = 0)
    expect(get('month')).toBe(1);
    expect(get('holiday')).toBe(0);
    expect(get('category')).toBe(0);
  });

  it('never looks ahead: changing the future leaves earlier rows unchanged', () => {
    const h = history();
    const before = buildFeatures(h, { from: 0, to: 6 }, { lags: [1, 3], windows: [2, 4] });
    const future = 3;
    const stride = 2 * 2;
    for (let i = future * stride; i < h.tensor.data.length; i++) h.tensor.data[i] += 100;
    const after = buildFeatures(h, { from: 0, to: 6 }, { lags: [1, 3], windows: [2, 4] });
    for (let row = 0; row < before.nRows; row++) {
      if (before.rowPeriod[row] > future) continue; // rows at periods ≤ future see only periods < future… and period `future` itself only as a target
      for (let j = 0; j < before.nCols; j++) {
        const a = before.X[row * before.nCols + j], b = after.X[row * after.nCols + j];
        expect(Number.isNaN(a) ? Number.isNaN(b) : a === b).toBe(true);
      }
    }
  });

  it('builds forecast rows past the history with the same code (NaN target)', () => {
    const h = history();
    const m = buildFeatures(h, { from: 6, to: 7, categories: [0], regions: [0] }, { lags: [1], windows: [2], calendar: true });
    expect(m.y[0]).toBeNaN();
    expect(m.X[m.names.indexOf('lag_1')]).toBe(6);
    expect(m.X[m.names.indexOf('dow')]).toBe(6); // 2017-01-08 is a Sunday
  });

  it('counts near-repeat incidents in distance and time bands before the target period', () => {
    const h = history();
    // three THEFTs near region a's centroid: 1 and 2 days before period 5, one 10 days before; one BATTERY
    const start5 = T0 + 5 * DAY;
    h.incidents = incidentTableFromColumns({
      t: [start5 - 1 * DAY, start5 - 2 * DAY, start5 - 10 * DAY, start5 - DAY, start5 + 1000],
      lat: [41.8, 41.8005, 41.8, 41.8, 41.8], lon: [-87.7, -87.7, -87.7, -87.7, -87.7],
      category: ['THEFT', 'THEFT', 'THEFT', 'BATTERY', 'THEFT'], tz: 'America/Chicago',
    });
    const m = buildFeatures(h, { from: 5, to: 6, categories: [0], regions: [0] },
      { lags: [1], windows: [2], nearRepeatDistances: [100], nearRepeatDays: [3, 14] });
    expect(m.X[m.names.indexOf('nr_100m_3d')]).toBe(2);
    expect(m.X[m.names.indexOf('nr_100m_14d')]).toBe(3);
  });
});
