import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitPanel, type PanelFamily } from '../../../src/models/linear/panel-fe.js';

// A simulated panel (12 units in 6 clusters × 40 periods; x3 static, two missing regressors, one unit with no events)
// fitted by statsmodels with one dummy per unit: test/fixtures/linear/make-panel-fe-fixture.py.
interface Case {
  family: PanelFamily; y: number[]; n: number; skipped: number; units: number; clusters: number;
  coef: number[]; seModel: number[]; seClusterUncorrected: number[]; alpha: (number | null)[];
  llfPlusLogFactorials?: number; r2Within?: number;
}
const fx = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/linear/panel-fe-statsmodels.json', import.meta.url)), 'utf8')) as {
  groups: number; k: number; clusterOfGroup: number[]; group: number[]; X: (number | null)[]; cases: Case[];
};

// Largest relative differences measured (2026-12) — poisson: coefficients 5.5e-13 (both sides stop Newton/IRLS near
// 1e-13), cluster SEs 2.6e-13, model SEs 7e-14, unit effects 3e-14, log-likelihood 4e-15; linear: 2.3e-14 (within R²),
// ≤ 1.3e-15 elsewhere. The tolerances are a few times that.
const TOLS: Record<PanelFamily, number> = { poisson: 2e-12, linear: 1e-13 };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('panel-fe matches statsmodels with unit dummies (stored fixture)', () => {
  for (const c of fx.cases) {
    it(c.family, () => {
      const TOL = TOLS[c.family];
      const fit = fitPanel({
        y: c.y, X: fx.X.map((v) => (v === null ? NaN : v)), k: fx.k,
        group: Int32Array.from(fx.group), groups: fx.groups, clusterOfGroup: Int32Array.from(fx.clusterOfGroup),
      }, { family: c.family });
      expect(fit.converged).toBe(true);
      expect([fit.n, fit.skipped, fit.clusters]).toEqual([c.n, c.skipped, c.clusters]);
      // statsmodels has one dummy per unit with rows; panel-fe also counts the no-event unit (its effect is −∞)
      expect(fit.units).toBe(c.family === 'poisson' ? c.units + 1 : c.units);
      expect(fit.status).toEqual(['kept', 'kept', 'absorbed']);
      // CR1 as documented in panel-fe.ts: G/(G−1), and (N−1)/(N−K) with K = kept regressors + 1 for the linear model
      const G = c.clusters, N = c.n;
      const cr1 = Math.sqrt(G / (G - 1) * (c.family === 'linear' ? (N - 1) / (N - 3) : 1));
      for (let j = 0; j < 2; j++) {
        expect(rel(fit.coef[j], c.coef[j]), `coef ${j}: ${fit.coef[j]} vs ${c.coef[j]}`).toBeLessThan(TOL);
        expect(rel(fit.seModel[j], c.seModel[j]), `model SE ${j}`).toBeLessThan(TOL);
        expect(rel(fit.se[j], cr1 * c.seClusterUncorrected[j]), `cluster SE ${j}`).toBeLessThan(TOL);
      }
      expect(fit.coef[2]).toBeNaN();
      for (let u = 0; u < fx.groups; u++) {
        const ref = c.alpha[u];
        if (ref === null) expect(fit.alpha[u]).toBe(-Infinity);
        else expect(Math.abs(fit.alpha[u] - ref), `alpha ${u}`).toBeLessThan(TOL * Math.max(1, Math.abs(ref)));
      }
      if (c.family === 'poisson') expect(rel(fit.logLik!, c.llfPlusLogFactorials!)).toBeLessThan(TOL);
      else expect(rel(fit.r2Within!, c.r2Within!)).toBeLessThan(TOL);
    });
  }
});
