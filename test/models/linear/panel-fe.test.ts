import { describe, expect, it } from 'vitest';
import { fitPanel, coefficientTable } from '../../../src/models/linear/panel-fe.js';
import { betweenRegression, olsClustered } from '../../../src/models/linear/panel-between.js';
import { Rng } from '../../../src/util/rng.js';

/** G units × T periods; x correlates with the unit effect (so pooled regression would be biased). */
function simulate(rng: Rng, G: number, T: number, beta: number[], opts: { size?: number; unitShock?: number } = {}) {
  const k = beta.length;
  const n = G * T;
  const X = new Float64Array(n * (k + 2)); // + a static column + a column collinear with x0
  const y = new Float64Array(n), group = new Int32Array(n);
  const alpha = new Float64Array(G), z = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    alpha[g] = rng.normal(0, 0.7);
    z[g] = rng.normal();
    // serially correlated unit shocks: what cluster-robust SEs are for
    let shock = 0;
    for (let t = 0; t < T; t++) {
      const i = g * T + t;
      group[i] = g;
      shock = 0.7 * shock + rng.normal(0, opts.unitShock ?? 0);
      let eta = alpha[g] + shock;
      for (let j = 0; j < k; j++) {
        // x has its own serial correlation and depends on α
        const x = 0.5 * alpha[g] + rng.normal() + (j === 0 ? 0.5 * Math.sin(t / 3) : 0);
        X[i * (k + 2) + j] = x;
        eta += beta[j] * x;
      }
      X[i * (k + 2) + k] = z[g];
      X[i * (k + 2) + k + 1] = 2 * X[i * (k + 2)] + 1;
      const mu = Math.exp(eta);
      y[i] = opts.size ? rng.negbin(mu, opts.size) : rng.poisson(mu);
    }
  }
  return { X, y, group, alpha, z, k: k + 2 };
}

describe('fixed-effects panel regression', () => {
  it('Poisson FE recovers β, reports the static and collinear columns, and recovers the unit effects', () => {
    const rng = new Rng(7);
    const d = simulate(rng, 150, 40, [0.3, -0.2]);
    const fit = fitPanel({ y: d.y, X: d.X, k: d.k, group: d.group, groups: 150 });
    expect(fit.converged).toBe(true);
    expect(fit.status).toEqual(['kept', 'kept', 'absorbed', 'collinear']);
    expect(fit.coef[0]).toBeCloseTo(0.3, 1);
    expect(Math.abs(fit.coef[0] - 0.3)).toBeLessThan(3 * fit.se[0]);
    expect(Math.abs(fit.coef[1] + 0.2)).toBeLessThan(3 * fit.se[1]);
    expect(fit.se[0]).toBeGreaterThan(0.005);
    expect(fit.se[0]).toBeLessThan(0.03);
    // unit effects: α̂ tracks α (units with few events are noisy, so a correlation, not equality)
    let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0, m = 0;
    for (let g = 0; g < 150; g++) {
      if (!Number.isFinite(fit.alpha[g])) continue;
      const a = d.alpha[g], b = fit.alpha[g];
      sa += a; sb += b; sab += a * b; saa += a * a; sbb += b * b; m++;
    }
    const corr = (sab - (sa * sb) / m) / Math.sqrt((saa - (sa * sa) / m) * (sbb - (sb * sb) / m));
    expect(corr).toBeGreaterThan(0.95); // α̂ noise ≈ 1/√(events per unit) ≈ 0.16 against sd(α) = 0.7
    const table = coefficientTable(['x0', 'x1', 'z', 'x0x2'], fit);
    expect(table[0].lo).toBeLessThan(table[0].coef);
    expect(table[2].status).toBe('absorbed');
    expect(Number.isNaN(table[2].coef)).toBe(true);
  });

  it('cluster-robust SEs match the Monte-Carlo spread under overdispersion and serial correlation; model SEs do not', () => {
    const rng = new Rng(11);
    const est: number[] = [], robust: number[] = [], model: number[] = [];
    let covered = 0;
    const reps = 150;
    for (let r = 0; r < reps; r++) {
      const d = simulate(rng, 60, 20, [0.3], { size: 2, unitShock: 0.3 });
      const fit = fitPanel({ y: d.y, X: d.X, k: d.k, group: d.group, groups: 60 });
      est.push(fit.coef[0]); robust.push(fit.se[0]); model.push(fit.seModel[0]);
      if (Math.abs(fit.coef[0] - 0.3) < 1.96 * fit.se[0]) covered++;
    }
    const mean = est.reduce((s, v) => s + v, 0) / reps;
    const sd = Math.sqrt(est.reduce((s, v) => s + (v - mean) ** 2, 0) / (reps - 1));
    const meanRobust = robust.reduce((s, v) => s + v, 0) / reps;
    const meanModel = model.reduce((s, v) => s + v, 0) / reps;
    expect(Math.abs(mean - 0.3)).toBeLessThan(0.01);
    expect(meanRobust / sd).toBeGreaterThan(0.8);
    expect(meanRobust / sd).toBeLessThan(1.2);
    expect(meanModel / sd).toBeLessThan(0.8); // the Poisson variance ignores the extra variation
    expect(covered / reps).toBeGreaterThan(0.88);
  });

  it('the within estimator equals OLS with unit dummies (coefficients and conventional SEs)', () => {
    const rng = new Rng(3);
    const G = 8, T = 12, n = G * T;
    const X = new Float64Array(n * 2), y = new Float64Array(n), group = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      group[i] = Math.floor(i / T);
      X[i * 2] = rng.normal() + group[i] * 0.3;
      X[i * 2 + 1] = rng.normal();
      y[i] = 2 * group[i] + 1.5 * X[i * 2] - 0.5 * X[i * 2 + 1] + rng.normal();
    }
    const fit = fitPanel({ y, X, k: 2, group, groups: G }, { family: 'linear' });
    // LSDV: x0, x1, dummies for units 1…G−1 (the intercept is unit 0)
    const k = 2 + G - 1;
    const D = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      D[i * k] = X[i * 2]; D[i * k + 1] = X[i * 2 + 1];
      if (group[i] > 0) D[i * k + 1 + group[i]] = 1;
    }
    const lsdv = olsClustered(y, D, k, group);
    expect(fit.coef[0]).toBeCloseTo(lsdv.coef[1], 10);
    expect(fit.coef[1]).toBeCloseTo(lsdv.coef[2], 10);
    expect(fit.seModel[0]).toBeCloseTo(lsdv.seModel[1], 10);
    expect(fit.seModel[1]).toBeCloseTo(lsdv.seModel[2], 10);
    // unit effects: α_0 = intercept, α_g = intercept + dummy_g
    expect(fit.alpha[0]).toBeCloseTo(lsdv.coef[0], 9);
    expect(fit.alpha[3]).toBeCloseTo(lsdv.coef[0] + lsdv.coef[3 + 2], 9);
    expect(fit.r2Within!).toBeGreaterThan(0.5);
  });

  it('a hand-computed within slope and its cluster-robust SE', () => {
    // two units, two periods each: within deviations x̃ = ±0.5, ỹ = (−1, 1) and (−2, 2)
    const y = [1, 3, 0, 4], X = [0, 1, 5, 6], group = Int32Array.of(0, 0, 1, 1);
    const fit = fitPanel({ y, X, k: 1, group, groups: 2 }, { family: 'linear' });
    // β = Σx̃ỹ / Σx̃² = (0.5·2·1 + 0.5·2·2) / 1 = 3
    expect(fit.coef[0]).toBeCloseTo(3, 12);
    expect(fit.alpha[0]).toBeCloseTo(2 - 3 * 0.5, 12);
    // residuals: unit 0: ỹ − 3x̃ = (0.5, −0.5); unit 1: (−0.5, 0.5) → cluster scores Σx̃e = −0.5, 0.5;
    // V = (Σx̃²)⁻² Σ s² · G/(G−1) · (N−1)/(N−K) = 0.5 · 2 · 3/2 = 1.5
    expect(fit.se[0]).toBeCloseTo(Math.sqrt(1.5), 12);
  });

  it('the between regression recovers the effect of a static indicator on the unit effects', () => {
    const rng = new Rng(5);
    const A = 120, C = 2;
    const z = Float64Array.from({ length: A * 2 }, () => rng.normal());
    const effects = new Float64Array(A * C), area = new Int32Array(A * C), cat = new Int32Array(A * C);
    for (let a = 0; a < A; a++) for (let c = 0; c < C; c++) {
      const u = a * C + c;
      area[u] = a; cat[u] = c;
      effects[u] = 1 + 0.8 * z[a * 2] - 0.3 * z[a * 2 + 1] + (c === 1 ? -0.5 : 0) + rng.normal(0, 0.2);
    }
    effects[5] = -Infinity; // a unit with no events is left out
    const res = betweenRegression(effects, area, cat, ['THEFT', 'BATTERY'], z, ['poverty', 'income']);
    expect(res.n).toBe(A * C - 1);
    expect(res.clusters).toBe(A);
    const by = Object.fromEntries(res.rows.map((r) => [r.name, r]));
    expect(by.poverty.coef).toBeCloseTo(0.8, 1);
    expect(by.income.coef).toBeCloseTo(-0.3, 1);
    expect(by['category=BATTERY'].coef).toBeCloseTo(-0.5, 1);
    expect(by.poverty.p).toBeLessThan(1e-6);
    expect(res.r2).toBeGreaterThan(0.9);
  });
});
