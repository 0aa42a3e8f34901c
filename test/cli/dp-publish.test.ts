import { describe, expect, it } from 'vitest';
import { expectedAbsNoise, privatizeForecast, privatizeValues } from '../../src/responsible/privacy/publish-forecast.js';
import { geometryLeakNote, parseDpOptions } from '../../src/cli/dp-options.js';
import type { ForecastProduct } from '../../src/forecast/produce.js';

/** A 3-period forecast of R regions × 2 categories with known expected counts (only the fields the release reads). */
function product(R: number): ForecastProduct {
  const C = 2, byCat = new Float64Array(R * C);
  for (let r = 0; r < R; r++) { byCat[r * C] = r; byCat[r * C + 1] = 2 * r; }
  return {
    regionIds: Array.from({ length: R }, (_, r) => `r${r}`), categories: ['a', 'b'], periodStart: new Float64Array(3),
    expectedByCategory: byCat, coverage: 0.1, warnings: ['true-data warning'],
  } as unknown as ForecastProduct;
}

describe('differentially private publishing', () => {
  it('expected absolute noise matches the draws (Laplace b; geometric 2α/(1 − α²))', () => {
    const zeros = new Float64Array(20_000).fill(1000);
    for (const [kind, eps] of [['laplace', 0.5], ['geometric', 1]] as const) {
      const { values, release } = privatizeValues(zeros, kind, { epsilon: eps, sensitivity: 1 }, 7, 'test', kind === 'geometric');
      const mad = values.reduce((s, v) => s + Math.abs(v - 1000), 0) / values.length;
      expect(release.expectedAbsNoise).toBeCloseTo(expectedAbsNoise(kind, { epsilon: eps, sensitivity: 1 }), 12);
      expect(Math.abs(mad / release.expectedAbsNoise - 1)).toBeLessThan(0.03);
    }
    expect(expectedAbsNoise('laplace', { epsilon: 0.5, sensitivity: 2 })).toBe(4);
    const a = Math.exp(-1);
    expect(expectedAbsNoise('geometric', { epsilon: 1, sensitivity: 1 })).toBeCloseTo((2 * a) / (1 - a * a), 12);
  });

  it('a forecast is republished from the noisy values only: totals, P(≥1), rank and flags follow them', () => {
    const R = 50, p = product(R), area = new Float64Array(R).fill(1);
    const { product: q, release } = privatizeForecast(p, area, 'laplace', { epsilon: 2, sensitivity: 1 }, 3);
    expect(release).toMatchObject({ epsilon: 2, mechanism: 'laplace', sensitivity: 1, cellCount: 100, expectedAbsNoise: 0.5 });
    let changed = 0;
    for (let i = 0; i < 100; i++) { expect(q.expectedByCategory[i]).toBeGreaterThanOrEqual(0); if (q.expectedByCategory[i] !== p.expectedByCategory[i]) changed++; }
    expect(changed).toBeGreaterThan(90);
    for (let r = 0; r < R; r++) {
      const e = q.expectedByCategory[2 * r] + q.expectedByCategory[2 * r + 1];
      expect(q.expected[r]).toBeCloseTo(e, 10);
      expect(q.pAny[r]).toBeCloseTo(1 - Math.exp(-e), 10);
      // the per-period mean is the noisy total split evenly over the 3 periods
      expect(q.forecast.mean[2 * R * 2 + 2 * r]).toBeCloseTo(q.expectedByCategory[2 * r] / 3, 5);
    }
    // 10% of 50 equal-area regions: the 5 highest noisy totals, rank 1 the highest
    const top = [...q.expected.keys()].sort((a, b) => q.expected[b] - q.expected[a]);
    expect(top.slice(0, 5).every((r) => q.flagged[r] === 1)).toBe(true);
    expect(q.flagged.reduce((s, v) => s + v, 0)).toBe(5);
    expect(q.rank[top[0]]).toBe(1);
    expect(q.warnings.join(' ')).not.toMatch(/true-data/);
    expect(q.warnings[0]).toMatch(/2-differential privacy/);
  });

  it('refuses nonsense epsilons and stray options with a clear message', () => {
    expect(parseDpOptions({}, 'laplace')).toBeUndefined();
    expect(parseDpOptions({ dpEpsilon: '0.5' }, 'geometric')).toEqual({ epsilon: 0.5, sensitivity: 1, mechanism: 'geometric', seed: 1 });
    for (const bad of ['0', '-1', 'abc', '', 'Infinity', 'NaN']) expect(() => parseDpOptions({ dpEpsilon: bad }, 'laplace')).toThrow(/positive finite number/);
    expect(() => parseDpOptions({ dpEpsilon: '50' }, 'laplace')).toThrow(/promises nothing/);
    expect(() => parseDpOptions({ dpEpsilon: '1', dpSensitivity: '0' }, 'laplace')).toThrow(/--dp-sensitivity/);
    expect(() => parseDpOptions({ dpEpsilon: '1', dpMechanism: 'gauss' }, 'laplace')).toThrow(/laplace or geometric/);
    expect(() => parseDpOptions({ dpMechanism: 'laplace' }, 'laplace')).toThrow(/needs --dp-epsilon/);
  });

  it('says when the published geometry itself comes from the incidents', () => {
    expect(geometryLeakNote('grid:500', false)).toMatch(/drawn around the incidents/);
    expect(geometryLeakNote('grid:500', true)).toBeUndefined();
    expect(geometryLeakNote('grid:cell=500,mask=incidents', true)).toMatch(/which cells hold one/);
    expect(geometryLeakNote('polygons:beats.geojson,id=BEAT', false)).toBeUndefined();
  });
});
