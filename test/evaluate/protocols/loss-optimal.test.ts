/** Masked metrics are shown beside their loss-optimal functional and that functional's honesty figures. */
import { describe, expect, it } from 'vitest';
import { countFields } from '../../../src/evaluate/protocols/count-fields.js';
import { FieldLayout } from '../../../src/evaluate/protocols/field-layout.js';
import { lossOptimalPoints } from '../../../src/evaluate/point-forecasts.js';
import { poissonForecast } from '../../../src/models/distribution.js';

describe('named loss-optimal rows', () => {
  it('match a hand computation on two Poisson(0.2) cells observing 0 and 2', () => {
    const f = poissonForecast(Float32Array.of(0.2, 0.2), 1, 2, 1);
    const points = lossOptimalPoints(f);
    // P(0) = 0.819 → median 0; P(1 | Y ≥ 1) = 0.164 / 0.181 = 0.90 → positive median 1; masked-MAPE optimum 1
    expect(Array.from(points.median)).toEqual([0, 0]);
    expect(Array.from(points.positiveMedian)).toEqual([1, 1]);
    expect(Array.from(points.positiveMape)).toEqual([1, 1]);
    const layout = new FieldLayout();
    const fields = countFields(layout, ['all']);
    const row = new Float64Array(layout.K);
    fields.fill(row, f.mean, Float32Array.of(0, 2), [0], [0], points);
    const value = (name: string) => [...fields.metrics, ...fields.diagnostics].find((m) => m.name === name)!.stat(row);
    expect(value('maskedMAE/all')).toBeCloseTo(1.8, 6); // the mean's |0.2 − 2|
    expect(value('maskedMAE[positive-median]/all')).toBe(1); // |1 − 2|
    expect(value('maskedMAPE[positive-mape]/all')).toBe(0.5); // |1 − 2| / 2
    expect(value('MAE[median]/all')).toBe(1); // (|0 − 0| + |0 − 2|) / 2
    // honesty: the positive median forecasts ≥ 1 in every cell, and its unmasked MAE is (1 + 1) / 2
    expect(value('share≥1[positive-median]/all')).toBe(1);
    expect(value('MAE[positive-median]/all')).toBe(1);
    expect(value('MAE/all')).toBeCloseTo((0.2 + 1.8) / 2, 6);
  });
});
