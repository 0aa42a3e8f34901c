/**
 * The engine owns refits: models are fitted only at refit origins, updated in between, and every forecast uses
 * every period before its origin — a kernel model fitted once still sees incidents that arrived after its fit.
 */
import { describe, expect, it } from 'vitest';
import { incidentTableFromColumns } from '../../../src/data/incident-table.js';
import { runBacktest } from '../../../src/evaluate/backtest/engine.js';
import type { FitSummary, Forecast, Forecaster, History } from '../../../src/models/forecaster.js';
import { poissonForecast } from '../../../src/models/distribution.js';
import { KdeForecaster } from '../../../src/models/kernel/kde-forecaster.js';
import '../../../src/models/all.js';
import { createForecaster } from '../../../src/models/registry.js';
import { buildGrid } from '../../../src/space/grid.js';
import { localProjection } from '../../../src/space/projection.js';
import { buildCountTensor } from '../../../src/tensor/build.js';
import { makeBinning } from '../../../src/time/bins.js';
import { Rng } from '../../../src/util/rng.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const proj = localProjection(41.88, -87.63);

/** 2 km square, 200 m cells, 60 days; uniform background, and from day 45 a new cluster around (1500, 500) m. */
function city() {
  const rng = new Rng(7);
  const x: number[] = [], y: number[] = [], t: number[] = [];
  for (let i = 0; i < 600; i++) { x.push(rng.random() * 2000); y.push(rng.random() * 2000); t.push(T0 + rng.random() * 60 * DAY); }
  for (let i = 0; i < 150; i++) { x.push(rng.normal(1500, 40)); y.push(rng.normal(500, 40)); t.push(T0 + (45 + rng.random() * 15) * DAY); }
  const ll = proj.inverse(Float64Array.from(x), Float64Array.from(y));
  const incidents = incidentTableFromColumns({ t, lat: ll.lat, lon: ll.lon, category: t.map(() => 'theft'), tz: 'UTC', categories: ['theft'] });
  const sw = proj.inversePoint(0, 0), ne = proj.inversePoint(2000, 2000);
  const units = buildGrid({ cell: 200, bbox: { minLat: sw[0], minLon: sw[1], maxLat: ne[0], maxLon: ne[1] }, projection: proj.def });
  const binning = makeBinning({ unit: 'day', tz: 'UTC', start: T0, end: T0 + 60 * DAY });
  const { tensor, incidentRegion, incidentCategory } = buildCountTensor(incidents, units, binning, { categories: ['theft'] });
  return { tensor, incidents, incidentRegion, incidentCategory, units };
}

function clusterCell(units: ReturnType<typeof city>['units']): number {
  const [lat, lon] = proj.inversePoint(1500, 500);
  return units.assign(Float64Array.of(lat), Float64Array.of(lon))[0];
}

/** Counts what the engine does to a model. */
class Counting implements Forecaster {
  readonly name = 'counting';
  readonly params = {};
  fitCalls = 0;
  updateCalls = 0;
  fit() { this.fitCalls++; }
  update() { this.updateCalls++; }
  predict(h: History, horizon: number): Forecast {
    const RC = h.tensor.regions * h.tensor.categories;
    return poissonForecast(new Float32Array(horizon * RC).fill(1), horizon, h.tensor.regions, h.tensor.categories);
  }
  fitted(): FitSummary { return { betweenRefits: 'updated' }; }
}

describe('the engine decides when a model refits', () => {
  const data = city();
  it('refitEvery=1000 over 20 test days fits once and updates 19 times', async () => {
    const m = new Counting();
    const r = await runBacktest(data, m, { testStart: 40, refitEvery: 1000 });
    expect([m.fitCalls, m.updateCalls]).toEqual([1, 19]);
    expect([r.fits, r.updates]).toEqual([1, 19]);
    expect(r.fitted).toMatchObject({ fits: 1, updates: 19, frozenOrigins: 0, origins: 20, betweenRefits: 'updated' });
  });

  it('kde fitted once forecasts from incidents that arrived after its fit', async () => {
    const cell = clusterCell(data.units);
    // fitted on days < 40, before the cluster exists: the cell is ordinary
    const r = await runBacktest(data, new KdeForecaster({ kernel: 'quartic', bandwidth: 300, windowDays: 30, rateWindowDays: 28, floor: 0.05 } as never), { testStart: 40, refitEvery: 1000 });
    expect(r.fits).toBe(1);
    const R = data.tensor.regions;
    const rank = (p: number) => {
      const day = r.mean.subarray(p * R, (p + 1) * R);
      return Array.from(day).filter((v) => v > day[cell]).length;
    };
    // day 44 (p = 4): no cluster yet, the cell is not near the top; day 59 (p = 19): it is the top cell
    expect(rank(4)).toBeGreaterThan(10);
    expect(rank(19)).toBe(0);
    expect(r.fitted.betweenRefits).toBe('updated');
    expect(r.updates).toBe(19);
  });

  it('reports a model frozen between refits for every origin it ignored', async () => {
    class Frozen extends Counting { override update = undefined as never; override fitted(): FitSummary { return { betweenRefits: 'frozen' }; } }
    const r = await runBacktest(data, new Frozen(), { testStart: 40, refitEvery: 7 });
    // fits at origins 40, 47, 54; the other 17 origins forecast from an older state
    expect(r.fits).toBe(3);
    expect(r.fitted.frozenOrigins).toBe(17);
  });

  it('every registered model reports what it did in the same shape', async () => {
    for (const spec of ['historical-average', 'moving-average:window=7', 'etas-grid:iterations=20', 'kde', 'prospective']) {
      const model = createForecaster(spec);
      const r = await runBacktest(data, model, { testStart: 55, refitEvery: 3 });
      // origins 55..59: fits at 55 and 58
      expect(r.fitted.fits).toBe(2);
      expect(r.fitted.updates).toBe(model.update ? 3 : 0);
      expect(r.fitted.betweenRefits).toBe(model.update ? 'updated' : 'conditioned');
      expect(r.fitted.frozenOrigins).toBe(0);
    }
  });
});
