/** Fairness audit: hand-computed shares, ratios, hit rates, PAI and calibration per group; bootstrap CIs. */
import { describe, it, expect } from 'vitest';
import { auditForecasts, type AuditInput } from '../../src/responsible/audit/audit.js';
import { auditSection, auditText } from '../../src/responsible/audit/report.js';
import { parseGroupColumns, quantileGroups } from '../../src/responsible/audit/groups.js';
import { Rng } from '../../src/util/rng.js';

// 4 equal-area regions; group A lives in regions 0 and 2 (100 and 50), group B in 1, 2 and 3 (100, 50, 100)
const tiny: AuditInput = {
  predictions: [4, 3, 2, 1, /* t1 */ 1, 2, 3, 4],
  observed: [2, 1, 1, 0, /* t1 */ 0, 1, 1, 2],
  regions: 4,
  area: [1, 1, 1, 1],
  groups: [{ name: 'A', weight: [100, 0, 50, 0] }, { name: 'B', weight: [0, 100, 50, 100] }],
  coverage: 0.25, // one region per period: region 0 at t0, region 3 at t1
  bootstrap: { B: 200, seed: 1 },
};

describe('auditForecasts (flagged set)', () => {
  const a = auditForecasts(tiny);
  const [A, B] = a.groups;

  it('shares of flagged area, population and recorded crime', () => {
    expect(A.populationShare).toBeCloseTo(0.375, 12);
    expect(A.flagShare.estimate).toBeCloseTo(0.5, 12); // region 0 (all A) at t0, region 3 (all B) at t1
    expect(B.flagShare.estimate).toBeCloseTo(0.5, 12);
    expect(A.crimeShare.estimate).toBeCloseTo(3 / 8, 12); // t0: 2 + ½·1, t1: ½·1
    expect(A.representationRatio.estimate).toBeCloseTo(4 / 3, 12);
    expect(B.representationRatio.estimate).toBeCloseTo(0.8, 12);
    expect(A.crimeRatio.estimate).toBeCloseTo(4 / 3, 12);
  });

  it('exposure of residents and the ratio against everyone and against the reference (largest) group', () => {
    expect(A.reference).toBe('B');
    expect(A.exposure.estimate).toBeCloseTo(1 / 3, 12); // 100 of 150 at t0, 0 at t1
    expect(B.exposure.estimate).toBeCloseTo(0.2, 12); // 0 at t0, 100 of 250 at t1
    expect(a.overall.exposure.estimate).toBeCloseTo(0.25, 12);
    expect(A.exposureRatio.estimate).toBeCloseTo(4 / 3, 12);
    expect(A.exposureVsReference.estimate).toBeCloseTo(5 / 3, 12);
    expect(B.exposureVsReference.estimate).toBeCloseTo(1, 12);
  });

  it('hit rate, PAI and calibration per group (population-weighted) and in majority regions', () => {
    expect(a.overall.hitRate.estimate).toBeCloseTo(0.5, 12);
    expect(a.overall.pai.estimate).toBeCloseTo(2, 12);
    expect(A.hitRate.estimate).toBeCloseTo(2 / 3, 12);
    expect(B.hitRate.estimate).toBeCloseTo(0.4, 12);
    expect(A.pai.estimate).toBeCloseTo(2, 12); // (2/3) / (1 / (2 · 1.5))
    expect(B.pai.estimate).toBeCloseTo(2, 12); // 0.4 / (1 / (2 · 2.5))
    expect(A.calibration.estimate).toBeCloseTo(2.5, 12); // predicted 7.5 / observed 3
    expect(A.majorityRegions).toBe(2); // region 2 is a tie, kept by the first group
    expect(A.hitRateMajority.estimate).toBeCloseTo(0.5, 12);
    expect(B.hitRateMajority.estimate).toBeCloseTo(0.5, 12);
    expect(Array.from(a.regionExposure)).toEqual([0.5, 0, 0, 0.5]);
  });

  it('renders a section and a text summary', () => {
    const s = auditSection(a, { regionIds: ['1', '2', '3', '4'], geometry: () => ({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }) });
    expect(s.tables!.length).toBe(5);
    expect(s.maps![0].features).toHaveLength(4);
    // distance from parity for A: |log2(4/3)|
    expect(s.tables![0].rows[0].value).toBeCloseTo(Math.log2(4 / 3), 12);
    expect(auditText(a)).toContain('flag/pop');
  });
});

describe('auditForecasts (patrol shares)', () => {
  it('attributes patrol time by composition', () => {
    const a = auditForecasts({ ...tiny, patrolShares: [1, 1, 0, 0] }); // half the patrol time each in regions 0 and 1
    expect(a.mode).toBe('patrol');
    expect(a.groups[0].flagShare.estimate).toBeCloseTo(0.5, 12);
    expect(a.groups[0].exposure.estimate).toBeCloseTo(1 / 3, 12); // 0.5·100 / 150
    expect(a.groups[1].exposure.estimate).toBeCloseTo(0.2, 12); // 0.5·100 / 250
    expect(Number.isNaN(a.groups[0].pai.estimate)).toBe(true);
  });
});

describe('disparity with bootstrap CIs over periods', () => {
  it('a forecast that over-predicts where group A lives flags A disproportionately; the CI excludes parity', () => {
    // 40 regions: A-majority regions 0..9 (90% A), B elsewhere (90% B); equal true rates; the forecast adds +2 in A regions
    const R = 40, T = 60, rng = new Rng(3);
    const wA = Float64Array.from({ length: R }, (_, r) => (r < 10 ? 900 : 100));
    const wB = Float64Array.from({ length: R }, (_, r) => (r < 10 ? 100 : 900));
    const pred = new Float64Array(T * R), obs = new Float64Array(T * R);
    for (let t = 0; t < T; t++) for (let r = 0; r < R; r++) {
      obs[t * R + r] = rng.poisson(3);
      pred[t * R + r] = 3 + (r < 10 ? 2 : 0) + 0.5 * rng.normal();
    }
    const a = auditForecasts({ predictions: pred, observed: obs, regions: R, area: new Float64Array(R).fill(1), groups: [{ name: 'A', weight: wA }, { name: 'B', weight: wB }], coverage: 0.2, bootstrap: { B: 500, seed: 2 } });
    const [A, B] = a.groups;
    // 8 flagged regions, all A-majority: A's exposure is 0.8·0.9·... ≈ 7.2/9 · ... ; at least 3× B's
    expect(A.exposureVsReference.estimate).toBeGreaterThan(3);
    expect(A.representationRatio.lo).toBeGreaterThan(1.5);
    expect(B.representationRatio.hi).toBeLessThan(0.7);
    // calibration: A over-predicted by (3+2)/3 ≈ 1.67, B calibrated
    expect(A.calibration.estimate).toBeGreaterThan(1.4);
    expect(Math.abs(B.calibration.estimate - 1.05)).toBeLessThan(0.1);
    for (const c of [A.hitRate, A.exposure, B.flagShare]) { expect(c.lo).toBeLessThanOrEqual(c.estimate); expect(c.hi).toBeGreaterThanOrEqual(c.estimate); }
  });
});

describe('group helpers', () => {
  it('parses group columns and splits regions into population-weighted quantile bands', () => {
    expect(parseGroupColumns('P0050003=White, P0050004')).toEqual([{ column: 'P0050003', name: 'White' }, { column: 'P0050004', name: 'P0050004' }]);
    const g = quantileGroups([5, 1, 3, NaN], [100, 100, 100, 100], 3, 'hardship');
    expect(g.map((x) => x.name)).toEqual(['hardship Q1/3', 'hardship Q2/3', 'hardship Q3/3']);
    expect(Array.from(g[0].weight)).toEqual([0, 100, 0, 0]);
    expect(g[0].family).toBe('hardship');
    expect(Array.from(g[2].weight)).toEqual([100, 0, 0, 0]);
  });
});

describe('auditForecasts input forms', () => {
  it('accepts nested [t][r] arrays with the same result as flat ones', () => {
    const nested = auditForecasts({ ...tiny, regions: undefined, predictions: [[4, 3, 2, 1], [1, 2, 3, 4]], observed: [[2, 1, 1, 0], [0, 1, 1, 2]] });
    const flat = auditForecasts(tiny);
    expect(nested.groups[0].exposure.estimate).toBe(flat.groups[0].exposure.estimate);
    expect(nested.groups[1].hitRate).toEqual(flat.groups[1].hitRate);
    expect(() => auditForecasts({ ...tiny, regions: undefined })).toThrow(/regions/);
  });
});

describe('several group families in one audit', () => {
  it('finds majorities and references within each family', () => {
    const bands = [{ name: 'low', weight: [100, 0, 0, 0], family: 'band' }, { name: 'high', weight: [0, 100, 100, 100], family: 'band' }];
    const a = auditForecasts({ ...tiny, groups: [...tiny.groups.map((g) => ({ ...g, family: 'race' })), ...bands] });
    const by = Object.fromEntries(a.groups.map((g) => [g.name, g]));
    // race family unchanged by the extra family
    expect(by.A.majorityRegions).toBe(2);
    expect(by.A.reference).toBe('B');
    expect(by.A.exposureVsReference.estimate).toBeCloseTo(5 / 3, 12);
    expect(by.low.majorityRegions).toBe(1);
    expect(by.low.reference).toBe('high');
    // low band lives in region 0 only: flagged at t0, not at t1; high band: region 3 of its 3 flagged at t1
    expect(by.low.exposure.estimate).toBeCloseTo(0.5, 12);
    expect(by.high.exposure.estimate).toBeCloseTo(1 / 6, 12);
    expect(by.low.exposureVsReference.estimate).toBeCloseTo(3, 12);
  });
});
