import { describe, expect, it } from 'vitest';
import { FieldLayout } from '../../../src/evaluate/protocols/field-layout.js';
import { hotspotFields } from '../../../src/evaluate/protocols/hotspot-fields.js';

describe('hot-spot fields', () => {
  it('give the oracle PAI (best set of the same area) beside PAI and PEI, with PAI / oraclePAI = PEI', () => {
    const layout = new FieldLayout();
    // 10 equal cells, one category; 10% coverage flags one cell
    const hot = hotspotFields(layout, 1, { all: [0] }, [0.1]);
    const observed = Float64Array.of(0, 5, 1, 0, 0, 0, 2, 0, 0, 2);
    const risk = Float64Array.of(0, 1, 3, 0, 0, 0, 0, 0, 0, 0); // flags cell 2 (1 crime); the best cell holds 5
    const row = new Float64Array(layout.K);
    hot.fill(row, risk, observed);
    const m = Object.fromEntries(hot.metrics.map((d) => [d.name, d.stat(row)]));
    expect(m['PAI@10%/all']).toBeCloseTo((1 / 10) / 0.1, 12);
    expect(m['oraclePAI@10%/all']).toBeCloseTo((5 / 10) / 0.1, 12);
    expect(m['PEI@10%/all']).toBeCloseTo(m['PAI@10%/all'] / m['oraclePAI@10%/all'], 12);
  });
});
