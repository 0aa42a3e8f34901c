import { describe, expect, it } from 'vitest';
import {
  aucRoc, averagePrecision, brierByCategory, calibrationPeriod, columnConfusionPeriod, columnF1, confusionPeriod,
  emptyCalibration, f1FromConfusion, f1Scores, rankingMetricsByCategory, reliability,
} from '../../../src/evaluate/metrics/occurrence.js';

describe('F1 per category, micro and macro', () => {
  // cat 0: scores 0.9 0.6 0.2 0.1, y 1 0 1 0 → TP 1 FP 1 FN 1 TN 1: P = R = F1 = 0.5
  // cat 1: scores 0.7 0.8 0.9 0.3, y 1 1 0 0 → TP 2 FP 1 FN 0 TN 1: P = 2/3, R = 1, F1 = 4/5
  const pred = [0.9, 0.7, 0.6, 0.8, 0.2, 0.9, 0.1, 0.3];
  const obs = [1, 1, 0, 1, 3, 0, 0, 0];
  const r = f1Scores(pred, obs, 2, 0.5);
  it('per category', () => {
    expect(Array.from(r.precision)).toEqual([0.5, 2 / 3]);
    expect(Array.from(r.recall)).toEqual([0.5, 1]);
    expect(r.f1[0]).toBeCloseTo(0.5, 12);
    expect(r.f1[1]).toBeCloseTo(0.8, 12);
  });
  it('micro pools TP/FP/FN, macro averages F1; the papers swap the names', () => {
    expect(r.microF1).toBeCloseTo(6 / 9, 12); // TP 3, FP 2, FN 1 → 2·3/(6 + 2 + 1)
    expect(r.macroF1).toBeCloseTo(0.65, 12); // (0.5 + 0.8)/2
    expect(r.paperMicroF1).toBe(r.macroF1);
    expect(r.paperMacroF1).toBe(r.microF1);
  });
  it('accumulates over periods', () => {
    const acc = confusionPeriod(pred.slice(0, 4), obs.slice(0, 4), 2);
    confusionPeriod(pred.slice(4), obs.slice(4), 2, 0.5, acc);
    expect(f1FromConfusion(acc).microF1).toBeCloseTo(r.microF1, 12);
    expect(Array.from(acc.tn)).toEqual([1, 1]);
  });
  it('empty category scores 0, not NaN', () => {
    expect(f1Scores([0, 0], [0, 0], 1).f1[0]).toBe(0);
  });
});

describe('column F1 (CrimeForecaster style)', () => {
  it('macro over all columns with 0 for empty columns; micro pooled', () => {
    // period 1: pred 1 0 0, y 1 1 0; period 2: pred 1 1 0, y 0 1 0
    // col 0: TP 1 FP 1 → 2/3; col 1: FN 1, TP 1 → 2/3; col 2: empty → 0
    const acc = columnConfusionPeriod([1, 0, 0], [1, 1, 0]);
    columnConfusionPeriod([1, 1, 0], [0, 1, 0], 0.5, acc);
    const r = columnF1(acc);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3, 12);
    expect(r.microF1).toBeCloseTo(4 / 6, 12); // TP 2 FP 1 FN 1
  });
});

describe('AUC-ROC and average precision', () => {
  it("sklearn's documented example", () => {
    // y = 0 0 1 1, s = 0.1 0.4 0.35 0.8. Pairs (pos > neg): 0.8>0.1, 0.8>0.4, 0.35>0.1, 0.35<0.4 → 3/4.
    expect(aucRoc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    // descending: 0.8(+) P=1 R=.5; 0.4(−); 0.35(+) P=2/3 R=1 → AP = .5·1 + .5·2/3 = 0.8333
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
  });
  it('ties count one half and are one threshold', () => {
    // pos {0.5, 0.8}, neg {0.5, 0.2}: 0.5~0.5 → ½, others 3 wins → 3.5/4
    expect(aucRoc([0.5, 0.5, 0.2, 0.8], [1, 0, 0, 1])).toBeCloseTo(0.875, 12);
    // thresholds 0.8: TP1 FP0 (P 1, R .5); 0.5: TP2 FP1 (P 2/3, R 1); 0.2: no recall gain → AP = .5 + .5·2/3
    expect(averagePrecision([0.5, 0.5, 0.2, 0.8], [1, 0, 0, 1])).toBeCloseTo(5 / 6, 12);
  });
  it('per category on an interleaved layout; NaN when a class is missing', () => {
    const s = [0.1, 0.3, 0.4, 0.3, 0.35, 0.3, 0.8, 0.3];
    const y = [0, 1, 0, 1, 1, 1, 1, 1];
    const r = rankingMetricsByCategory(s, y, 2);
    expect(r.aucRoc[0]).toBeCloseTo(0.75, 12);
    expect(r.aucRoc[1]).toBeNaN();
    expect(r.aucPr[1]).toBe(1); // every cell positive: precision 1 at the only threshold
  });
});

describe('Brier score and reliability', () => {
  it('hand example with 10 bins', () => {
    // p = .05 .15 .12 .95 .85, y = 0 0 1 1 1
    // Brier = (.0025 + .0225 + .7744 + .0025 + .0225)/5 = .8244/5 = 0.16488
    const s = calibrationPeriod([0.05, 0.15, 0.12, 0.95, 0.85], [0, 0, 1, 1, 2], 1, emptyCalibration(1, 10));
    expect(brierByCategory(s)[0]).toBeCloseTo(0.16488, 12);
    const t = reliability(s);
    // bins: 0 {.05}: pred .05 obs 0; 1 {.15, .12}: pred .135 obs .5; 8 {.85}: obs 1; 9 {.95}: obs 1
    expect(Array.from(t.count)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(t.meanPredicted[1]).toBeCloseTo(0.135, 12);
    expect(t.observedFrequency[1]).toBe(0.5);
    expect(t.meanPredicted[2]).toBeNaN();
    // ECE = (1/5)·.05 + (2/5)·.365 + (1/5)·.15 + (1/5)·.05 = .01 + .146 + .03 + .01 = 0.196
    expect(t.ece).toBeCloseTo(0.196, 12);
    expect(t.brier).toBeCloseTo(0.16488, 12);
  });
});
