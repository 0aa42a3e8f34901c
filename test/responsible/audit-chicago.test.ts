/**
 * The audit on real data: AGL-STAN's 2015 daily counts per Chicago community area (area index i = area number i+1),
 * a 30-day moving average backtested over Aug–Dec 2015, 2010 census population by race/ethnicity.
 */
import { describe, it, expect } from 'vitest';
import { readNpy } from '../../src/tensor/npy.js';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { runBacktest } from '../../src/evaluate/backtest/engine.js';
import '../../src/models/all.js';
import { auditForecasts } from '../../src/responsible/audit/audit.js';
import { loadGroupTable } from '../../src/responsible/audit/groups.js';
import { readPolygonUnits } from '../../src/space/polygons.js';
import { binningFromStart } from '../../src/time/bins.js';
import { hasShared, sharedPath } from '../helpers.js';

const CRIME = 'aglstan-chicago2015/chicago/crime.npy';
const SF1 = 'chicago-covariates/demographics/cmap_cca_census2010_sf1.csv';
const CA = 'chicago-covariates/boundaries/community_areas.geojson';

describe.runIf(hasShared(CRIME) && hasShared(SF1) && hasShared(CA))('fairness audit on Chicago community areas (2015)', () => {
  it('moving-average:window=30 at 10% area coverage: hit rate, calibration and group disparities with CIs', async () => {
    const npy = readNpy(sharedPath(CRIME));
    const [D, R, C] = npy.shape;
    const ids = Array.from({ length: R }, (_, i) => String(i + 1));
    const units = readPolygonUnits(sharedPath(CA), { idProperty: 'area_numbe', order: 'id' });
    const area = Float64Array.from(ids, (id) => units.area[units.ids.indexOf(id)]);
    const tensor = createTensor({
      periods: D, regions: R, categories: C, categoryNames: Array.from({ length: C }, (_, c) => `c${c}`), regionIds: ids,
      periodStart: Float64Array.from(binningFromStart('day', 'America/Chicago', '2015-01-01', D).periodStart), unit: 'day', tz: 'America/Chicago',
    }, Float32Array.from(npy.data as Float64Array));
    const testStart = 212; // 2015-08-01, AGL-STAN's first test month
    const bt = await runBacktest({ tensor }, 'moving-average:window=30', { testStart });
    const T = D - testStart, pred = new Float64Array(T * R), obs = new Float64Array(T * R);
    for (let p = 0; p < T; p++) for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
      pred[p * R + r] += bt.mean[(p * R + r) * C + c];
      obs[p * R + r] += tensor.data[((testStart + p) * R + r) * C + c];
    }
    const g = loadGroupTable(sharedPath(SF1), ids, 'GEOGKEYX',
      [{ column: 'P0050003', name: 'White' }, { column: 'P0050004', name: 'Black' }, { column: 'P0050010', name: 'Hispanic' }, { column: 'P0050006', name: 'Asian' }], 'P0050001');
    const a = auditForecasts({ predictions: pred, observed: obs, regions: R, area, groups: g.groups, population: g.population, coverage: 0.1, bootstrap: { B: 500, seed: 1 } });
    const by = Object.fromEntries(a.groups.map((x) => [x.name, x]));
    // census totals from the README: 2,695,598 residents, 872,286 NH Black
    expect(by.Black.populationShare).toBeCloseTo(872_286 / 2_695_598, 9);
    expect(a.overall.hitRate.estimate).toBeGreaterThan(0.15);
    expect(a.overall.pai.estimate).toBeGreaterThan(1.5);
    // a moving average is close to calibrated on the total (seasonal decline Aug → Dec pushes it above 1)
    expect(a.overall.calibration.estimate).toBeGreaterThan(0.95);
    expect(a.overall.calibration.estimate).toBeLessThan(1.25);
    // Hispanic residents get far less than their population share of flagged area, NH Black residents more
    expect(by.Hispanic.representationRatio.hi).toBeLessThan(0.6);
    expect(by.Black.representationRatio.lo).toBeGreaterThan(1.1);
    for (const x of a.groups) {
      expect(x.exposure.lo).toBeLessThanOrEqual(x.exposure.estimate);
      expect(x.exposure.hi).toBeGreaterThanOrEqual(x.exposure.estimate);
    }
    console.log(a.groups.map((x) => `${x.name}: flag/pop ${x.representationRatio.estimate.toFixed(3)} [${x.representationRatio.lo.toFixed(3)}, ${x.representationRatio.hi.toFixed(3)}] exposure ratio ${x.exposureRatio.estimate.toFixed(3)} hit ${x.hitRate.estimate.toFixed(3)} calib ${x.calibration.estimate.toFixed(3)}`).join('\n'),
      `\noverall hit ${a.overall.hitRate.estimate.toFixed(3)} [${a.overall.hitRate.lo.toFixed(3)}, ${a.overall.hitRate.hi.toFixed(3)}] PAI ${a.overall.pai.estimate.toFixed(3)} calib ${a.overall.calibration.estimate.toFixed(3)}`);
  });
});
