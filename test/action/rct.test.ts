import { describe, expect, it } from 'vitest';
import { loadStshnBenchmark } from '../../src/tensor/stshn.js';
import { buildStshnGrid } from '../../src/space/stshn-grid.js';
import { simulateChicagoTrial } from '../../src/action/rct/chicago-trial.js';
import { estimateRateRatio } from '../../src/action/rct/rate-ratio.js';
import { didLogRateRatio, randomisationTest } from '../../src/action/rct/randomisation-test.js';
import { spilloverCheck } from '../../src/action/rct/spillover.js';
import { designTrial, drawAssignment } from '../../src/action/rct/design.js';
import { closedFormPower, sampleSize } from '../../src/action/rct/power.js';
import { simulatedPower } from '../../src/action/rct/simulated-power.js';
import { normalQuantile } from '../../src/util/special-functions.js';
import { Rng } from '../../src/util/rng.js';
import { hasShared, sharedPath } from '../helpers.js';

const STSHN = 'stshn-chicago-2016-2017/tensors_npy';

describe('randomisation designs', () => {
  it('blocked pairs put exactly one unit of each baseline-sorted pair in each arm', () => {
    const baseline = Array.from({ length: 20 }, (_, i) => (i * 7) % 20);
    const d = designTrial(baseline, { scheme: 'blocked', blockSize: 2, seed: 4 });
    const perBlock = new Map<number, number>();
    d.block.forEach((b, i) => perBlock.set(b, (perBlock.get(b) ?? 0) + d.assignment[i]));
    expect([...perBlock.values()]).toEqual(new Array(10).fill(1));
    const s = designTrial(baseline, { scheme: 'stratified', strata: 4, seed: 4 });
    expect(s.assignment.reduce((a, b) => a + b, 0)).toBe(10);
    // simple randomisation varies the arm size from draw to draw
    const rng = new Rng(2), sizes = new Set<number>();
    for (let k = 0; k < 20; k++) sizes.add(drawAssignment('simple', 0.5, new Int32Array(20), rng).reduce((a, b) => a + b, 0));
    expect(sizes.size).toBeGreaterThan(2);
  });

  it('normal quantile inverts the CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});

describe('power: closed form (Zhu & Lakkis 2014) against simulation', () => {
  it('agrees within 3 simulation standard errors + 0.03 at three design points', () => {
    const cases = [
      { controlRate: 1.5, rateRatio: 0.75, periods: 4, dispersion: 0.4, n: 40 },
      { controlRate: 0.8, rateRatio: 0.6, periods: 2, dispersion: 0, n: 30 },
      { controlRate: 3, rateRatio: 0.85, periods: 7, dispersion: 0.15, n: 60 },
    ];
    for (const c of cases) {
      const cf = closedFormPower(c, c.n);
      const sim = simulatedPower(c, c.n, { trials: 300, seed: 9 });
      expect(cf).toBeGreaterThan(0.2);
      expect(cf).toBeLessThan(0.95);
      expect(Math.abs(sim.power - cf)).toBeLessThan(3 * sim.se + 0.03);
    }
  });

  it('sample size reaches the target power and is monotone in the effect', () => {
    const base = { controlRate: 1, periods: 4, dispersion: 0.3 };
    const n = sampleSize({ ...base, rateRatio: 0.8 }, 0.8).nControl;
    expect(closedFormPower({ ...base, rateRatio: 0.8 }, n)).toBeGreaterThanOrEqual(0.8);
    expect(closedFormPower({ ...base, rateRatio: 0.8 }, n - 1)).toBeLessThan(0.8);
    expect(sampleSize({ ...base, rateRatio: 0.7 }, 0.8).nControl).toBeLessThan(n);
    expect(closedFormPower({ ...base, rateRatio: 1 }, 50)).toBeCloseTo(0.05, 6);
  });
});

describe.runIf(hasShared(STSHN))('trials on the real Chicago tensor with injected effects', () => {
  const { tensor } = loadStshnBenchmark(sharedPath(STSHN));
  const adjacency = buildStshnGrid().adjacency;
  const starts = (k: number) => 40 + ((k * 37) % 640);

  it('the 95% CI covers an injected rate ratio of 0.8 in ≥ 90% of 200 blocked trials', () => {
    const rng = new Rng(21);
    let covered = 0, sumLog = 0;
    for (let k = 0; k < 200; k++) {
      const tr = simulateChicagoTrial(tensor, { start: starts(k), design: { scheme: 'blocked', blockSize: 2, seed: 100 + k }, rateRatio: 0.8 }, rng);
      const e = estimateRateRatio({ y: tr.y, assignment: tr.design.assignment, baseline: tr.baseline });
      if (e.lo <= 0.8 && 0.8 <= e.hi) covered++;
      sumLog += e.logRateRatio;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(Math.exp(sumLog / 200)).toBeGreaterThan(0.76);
    expect(Math.exp(sumLog / 200)).toBeLessThan(0.84);
  });

  it('with no effect, Wald and randomisation tests reject at close to α = 0.05 over 200 trials', () => {
    const rng = new Rng(22);
    let wald = 0, perm = 0;
    for (let k = 0; k < 200; k++) {
      const tr = simulateChicagoTrial(tensor, { start: starts(k + 3), design: { scheme: 'stratified', strata: 4, seed: 500 + k }, rateRatio: 1 }, rng);
      const e = estimateRateRatio({ y: tr.y, assignment: tr.design.assignment, baseline: tr.baseline });
      if (e.pWald < 0.05) wald++;
      const r = randomisationTest((a) => didLogRateRatio(tr.y, a, tr.baseline), tr.design, { B: 199, seed: k });
      if (r.p < 0.05) perm++;
    }
    expect(wald / 200).toBeGreaterThanOrEqual(0.01);
    expect(wald / 200).toBeLessThanOrEqual(0.1);
    expect(perm / 200).toBeGreaterThanOrEqual(0.01);
    expect(perm / 200).toBeLessThanOrEqual(0.1);
  });

  it('the spillover check flags injected displacement and stays quiet without it', () => {
    const rng = new Rng(23);
    let flagged = 0, falseAlarms = 0, rrSum = 0;
    for (let k = 0; k < 30; k++) {
      const tr = simulateChicagoTrial(tensor, { start: starts(k), design: { scheme: 'stratified', pTreat: 0.25, seed: 900 + k }, rateRatio: 0.5, displacement: 0.8, adjacency }, rng);
      const direct = estimateRateRatio({ y: tr.y, assignment: tr.design.assignment, baseline: tr.baseline }).rateRatio;
      const s = spilloverCheck(tr.adjacency!, tr.design, tr.y, tr.baseline, { B: 199, seed: k, directRateRatio: direct });
      rrSum += Math.log(s.rateRatio);
      if (s.p < 0.05 && s.rateRatio > 1) flagged++;
      const t0 = simulateChicagoTrial(tensor, { start: starts(k), design: { scheme: 'stratified', pTreat: 0.25, seed: 900 + k }, rateRatio: 0.5, displacement: 0, adjacency }, rng);
      const d0 = estimateRateRatio({ y: t0.y, assignment: t0.design.assignment, baseline: t0.baseline }).rateRatio;
      if (spilloverCheck(t0.adjacency!, t0.design, t0.y, t0.baseline, { B: 199, seed: k, directRateRatio: d0 }).p < 0.05) falseAlarms++;
    }
    // measured: mean RR 1.041, 13/30 flagged, 0/30 false alarms — a 3 km grid with 25 % treated gives the check
    // modest power even for heavy displacement (40 % of treated crime moved next door)
    expect(Math.exp(rrSum / 30)).toBeGreaterThan(1.02);
    expect(flagged).toBeGreaterThanOrEqual(9);
    expect(falseAlarms).toBeLessThanOrEqual(4);
  });
});
