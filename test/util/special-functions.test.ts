import { describe, expect, it } from 'vitest';
import {
  betaI, chiSquareSurvival, gammaP, gammaQ, logGamma, normalCdf, studentTCdf,
} from '../../src/util/special-functions.js';

describe('special functions', () => {
  it('log-gamma matches factorials and Γ(1/2) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12); // Γ(5) = 4! = 24
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9); // log(100!)
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 11); // Γ(0.1) = 9.5135076986687
  });

  it('incomplete gamma: P(1, x) = 1 − e^{−x} in both branches', () => {
    for (const x of [0.3, 1.5, 4, 20]) {
      expect(gammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13);
      expect(gammaQ(1, x)).toBeCloseTo(Math.exp(-x), 13);
    }
    // Q(3, 2) = e^{-2}(1 + 2 + 2²/2) = 5e^{-2} = 0.6766764161830634
    expect(gammaQ(3, 2)).toBeCloseTo(5 * Math.exp(-2), 13);
  });

  it('chi-square survival: df = 2 is exp(−x/2)', () => {
    expect(chiSquareSurvival(3, 2)).toBeCloseTo(Math.exp(-1.5), 13);
    expect(chiSquareSurvival(16.918977604620448, 9)).toBeCloseTo(0.05, 10); // 95% point of χ²₉
  });

  it('normal CDF', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 15);
  });

  it('Student t CDF: Cauchy (df = 1) and df = 2 closed forms', () => {
    // df = 1: F(t) = 1/2 + atan(t)/π
    expect(studentTCdf(1.7, 1)).toBeCloseTo(0.5 + Math.atan(1.7) / Math.PI, 13);
    // df = 2: F(t) = 1/2 + t / (2√(2 + t²))
    expect(studentTCdf(-0.8, 2)).toBeCloseTo(0.5 - 0.8 / (2 * Math.sqrt(2.64)), 13);
    expect(studentTCdf(1e-3, 1e9)).toBeCloseTo(normalCdf(1e-3), 8);
  });

  it('incomplete beta: I_x(1, b) = 1 − (1 − x)^b', () => {
    expect(betaI(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    expect(betaI(0.9, 1, 4)).toBeCloseTo(1 - 0.1 ** 4, 13);
  });
});
