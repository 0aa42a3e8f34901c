import { describe, expect, it } from 'vitest';
import {
  addHotspotSums, categoryColumn, coverageGrid, flaggedCount, hotspotMetrics, hotspotMetricsFromSums, hotspotPeriod,
  flagOrder, maxCapturable, riskOrder, sumCategories,
} from '../../../src/evaluate/metrics/hotspot.js';

describe('equal-area cells', () => {
  // 10 cells. Order by risk (ties → lower index): 1(9) 5(9) 3(7) 9(6) 0(5) 8(4) 4(3) 7(2) 2(1) 6(0)
  const risk = [5, 9, 1, 7, 3, 9, 0, 2, 4, 6];
  const obs = [2, 3, 0, 1, 0, 4, 0, 1, 1, 0]; // N = 12, risk total 46
  it('orders by risk with ties by index', () => {
    expect(Array.from(riskOrder(risk))).toEqual([1, 5, 3, 9, 0, 8, 4, 7, 2, 6]);
    expect(flaggedCount(riskOrder(risk), 0.25)).toBe(2); // ⌊2.5⌋
    expect(flaggedCount(riskOrder(risk), 0.01)).toBe(1); // at least one
  });
  it('hit rate, PAI, PEI and RRI', () => {
    const m = hotspotMetrics(risk, obs, [0.2, 0.3, 0.05]);
    // c = 0.2: flag {1, 5}: n = 3 + 4 = 7; hit = 7/12; PAI = (7/12)/0.2; n* = 4 + 3 = 7 → PEI 1;
    //   risk share (9 + 9)/46 → RRI = (7/12)/(18/46) = 1.490741
    expect(m.hitRate[0]).toBeCloseTo(7 / 12, 12);
    expect(m.pai[0]).toBeCloseTo(7 / 12 / 0.2, 12);
    expect(m.pei[0]).toBeCloseTo(1, 12);
    expect(m.rri[0]).toBeCloseTo(7 / 12 / (18 / 46), 12);
    // c = 0.3: flag {1, 5, 3}: n = 8; PAI = (8/12)/0.3 = 2.2222; n* = 4 + 3 + 2 = 9 → PEI 8/9; RRI = (8/12)/(25/46)
    expect(m.pai[1]).toBeCloseTo(8 / 12 / 0.3, 12);
    expect(m.pei[1]).toBeCloseTo(8 / 9, 12);
    expect(m.rri[1]).toBeCloseTo(8 / 12 / (25 / 46), 12);
    // c = 0.05 rounds down to 0 cells, so one cell {1} is flagged: share 0.1, n = 3, PAI 2.5, n* = 4 → PEI .75
    expect(m.flaggedShare[2]).toBeCloseTo(0.1, 12);
    expect(m.pai[2]).toBeCloseTo(2.5, 12);
    expect(m.pei[2]).toBeCloseTo(0.75, 12);
  });
  it('pools periods: Σn/ΣN, PAI over the mean flagged share', () => {
    const a = hotspotPeriod(risk, obs, [0.2]);
    const b = hotspotPeriod(risk, [0, 0, 0, 0, 0, 1, 0, 0, 0, 3], [0.2]); // captures 1 of 4; n* = 3 + 1 = 4
    const m = hotspotMetricsFromSums(addHotspotSums(a, b));
    expect(m.hitRate[0]).toBeCloseTo(8 / 16, 12);
    expect(m.pai[0]).toBeCloseTo(0.5 / 0.2, 12);
    expect(m.pei[0]).toBeCloseTo(8 / 11, 12); // (7 + 1)/(7 + 4)
  });
});

describe('unequal areas', () => {
  // areas 1 2 3 4 (A = 10), risk densities .1 .45 .167 .075 → order 1, 2, 0, 3; counts 3 4 2 1 (N = 10)
  const area = [1, 2, 3, 4], risk = [0.1, 0.9, 0.5, 0.3], obs = [3, 4, 2, 1];
  it('flags by area budget and bounds n* by the fractional knapsack', () => {
    const m = hotspotMetrics(risk, obs, [0.5, 0.25, 0.05], area);
    // c = 0.5, budget 5: regions 1 (2) + 2 (3) = 5 fit; n = 6; hit .6; PAI .6/.5 = 1.2
    // n*: densities 3, 2, .667, .25 → region 0 (area 1, 3) + region 1 (area 2, 4) + 2/3 of region 2 (4/3) = 8.3333
    expect(m.flaggedShare[0]).toBeCloseTo(0.5, 12);
    expect(m.pai[0]).toBeCloseTo(1.2, 12);
    expect(m.pei[0]).toBeCloseTo(6 / (25 / 3), 12);
    // c = 0.25, budget 2.5: region 1 (area 2) fits, region 2 would make 5: n = 4, share .2, PAI 2;
    // n* over area 2: region 0 (3) + half of region 1 (2) = 5 → PEI .8
    expect(m.flaggedShare[1]).toBeCloseTo(0.2, 12);
    expect(m.pai[1]).toBeCloseTo(2, 12);
    expect(m.pei[1]).toBeCloseTo(0.8, 12);
    // c = 0.05, budget 0.5: nothing fits, so the top region alone is flagged
    expect(m.flaggedShare[2]).toBeCloseTo(0.2, 12);
    expect(maxCapturable(obs, 10, area)).toBeCloseTo(10, 12);
  });

  it('ranks by risk per unit area, as the operational forecast flags (a big area with more risk but less density waits)', () => {
    // region 1 has twice the risk on four times the area: at a 20% budget (area 1) only region 0 fits
    const m = hotspotMetrics([1, 2], [1, 0], [0.2], [1, 4]);
    expect(m.flaggedShare[0]).toBeCloseTo(0.2, 12);
    expect(m.hitRate[0]).toBe(1);
    expect(m.pai[0]).toBeCloseTo(5, 12);
    expect(Array.from(flagOrder([1, 2], [1, 4]))).toEqual([0, 1]);
    expect(Array.from(flagOrder([1, 2]))).toEqual([1, 0]);
  });
});

describe('helpers', () => {
  it('category columns and sums of a region × category layout', () => {
    const v = [1, 2, 3, 4, 5, 6]; // 3 regions × 2 categories
    expect(Array.from(categoryColumn(v, 2, 1))).toEqual([2, 4, 6]);
    expect(Array.from(sumCategories(v, 2))).toEqual([3, 7, 11]);
  });
  it('coverage grid is log-spaced from lo to 1', () => {
    const g = coverageGrid(0.001, 4);
    expect(g[0]).toBeCloseTo(0.001, 12);
    expect(g[1]).toBeCloseTo(0.01, 12);
    expect(g[3]).toBeCloseTo(1, 12);
  });
});
