import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fitArima, forecastArima, type ArimaModel } from '../../../src/models/timeseries/arima.js';

interface Case {
  name: string; y: number[]; order: [number, number, number]; seasonal: [number, number, number, number];
  trend: string | null; exog: number[] | null; exogFuture: number[] | null;
  paramNames: string[]; params: number[]; llf: number; h: number; forecast: number[]; se: number[];
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/timeseries/arima-statsmodels.json', import.meta.url)), 'utf8')) as { cases: Case[] };

/** Our estimate of a statsmodels parameter by its name. */
function ours(m: ArimaModel, name: string, c: Case): number {
  const lag = (prefix: string, arr: Float64Array) => arr[Number(name.slice(prefix.length)) - 1];
  if (name === 'const') return m.beta[m.betaNames.indexOf('const')];
  if (name === 'sigma2') return m.sigma2;
  if (name === 'x1') return c.trend === 't' ? m.beta[m.betaNames.indexOf('drift')] : m.beta[m.betaNames.indexOf('x1')];
  if (name.startsWith('ar.S.L')) return m.sar[Number(name.slice(6)) / c.seasonal[3] - 1];
  if (name.startsWith('ma.S.L')) return m.sma[Number(name.slice(6)) / c.seasonal[3] - 1];
  if (name.startsWith('ar.L')) return lag('ar.L', m.ar);
  if (name.startsWith('ma.L')) return lag('ma.L', m.ma);
  throw new Error(`unmapped parameter ${name}`);
}

// Tolerances a few times the largest error measured over the fixture's seven cases (2026-12): parameters 5.6e-5
// (×max(1, |value|)), log-likelihood 3.2e-7, forecast mean 1.1e-5 (×max(1, |value|)), forecast se 2.1e-5 (relative).
const TOL = { param: 2e-4, loglik: 1e-6, mean: 5e-5, se: 1e-4 };

describe('fitArima matches statsmodels exact ML (stored fixture)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const [p, d, q] = c.order, [P, D, Q, s] = c.seasonal;
      const m = fitArima(c.y, { p, d, q, P, D, Q, s: s || 1 }, {
        mean: c.trend === 'c', drift: c.trend === 't', xreg: c.exog ? Float64Array.from(c.exog) : undefined,
      });
      expect(m.npar).toBe(c.params.length);
      for (let i = 0; i < c.params.length; i++) {
        const name = c.paramNames[i], ref = c.params[i];
        const tol = TOL.param * Math.max(1, Math.abs(ref));
        expect(Math.abs(ours(m, name, c) - ref), `${name}: ours ${ours(m, name, c)} vs statsmodels ${ref}`).toBeLessThan(tol);
      }
      expect(Math.abs(m.loglik - c.llf), `loglik: ours ${m.loglik} vs statsmodels ${c.llf}`).toBeLessThan(TOL.loglik);
      const f = forecastArima(m, c.h, c.exogFuture ? Float64Array.from(c.exogFuture) : undefined);
      for (let j = 0; j < c.h; j++) {
        expect(Math.abs(f.mean[j] - c.forecast[j])).toBeLessThan(TOL.mean * Math.max(1, Math.abs(c.forecast[j])));
        expect(Math.abs(f.se[j] - c.se[j]) / c.se[j]).toBeLessThan(TOL.se);
      }
    });
  }
});

describe('predictionInterval', () => {
  it('95% Gaussian interval from statsmodels-matching standard errors; clipped at zero on request', async () => {
    const { predictionInterval } = await import('../../../src/models/timeseries/arima.js');
    const pi = predictionInterval({ mean: [1, 5], se: [1, 1] }, 0.95);
    expect(pi.lower[1]).toBeCloseTo(5 - 1.959964, 5);
    expect(pi.upper[0]).toBeCloseTo(1 + 1.959964, 5);
    expect(predictionInterval({ mean: [1], se: [1] }, 0.95, true).lower[0]).toBe(0);
  });
});
