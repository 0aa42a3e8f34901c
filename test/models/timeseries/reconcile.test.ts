import { describe, expect, it } from 'vitest';
import { reconcileGeneral, reconcileToTotal } from '../../../src/models/timeseries/reconcile.js';

describe('reconciliation', () => {
  const bottom = [2, 5, 1, 0.5];
  const total = 10; // base forecasts sum to 8.5

  it('OLS spreads the discrepancy equally and matches the general GLS projection', () => {
    const r = reconcileToTotal(bottom, total, 'ols');
    // gap 1.5 shared over n + 1 = 5 nodes
    expect(Array.from(r)).toEqual(bottom.map((b) => expect.closeTo(b + 0.3, 12)));
    const S = [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const g = reconcileGeneral(S, 5, 4, [total, ...bottom]);
    for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(r[i], 12);
  });

  it('WLS moves high-variance series more and matches the general form', () => {
    const v = [2, 5, 1, 0.5], vT = 8.5;
    const r = reconcileToTotal(bottom, total, 'wls', { bottomVariance: v, totalVariance: vT });
    const S = [1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const g = reconcileGeneral(S, 5, 4, [total, ...bottom], [vT, ...v]);
    for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(r[i], 12);
    expect(r[1] - bottom[1]).toBeGreaterThan(r[3] - bottom[3]);
    // the reconciled total lies between the base total and the bottom-up sum
    const sum = r.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(8.5); expect(sum).toBeLessThan(10);
  });

  it('never returns negative counts; bottom-up is the identity', () => {
    const r = reconcileToTotal([0.1, 0.2, 6], 2, 'ols');
    for (const v of r) expect(v).toBeGreaterThanOrEqual(0);
    expect(r[0]).toBe(0);
    // remaining active series share the gap: b̃ = b + (T − Σb_active)/(1 + n_active)
    expect(r[2]).toBeCloseTo(6 + (2 - 6) / 2, 12);
    expect(Array.from(reconcileToTotal(bottom, total, 'bu'))).toEqual(bottom);
  });
});
