import { describe, expect, it } from 'vitest';
import { checkDropped } from '../../src/tensor/dataset.js';

const report = (outsideUnits: number, outsidePeriods = 0, otherCategory = 0) =>
  ({ total: 1000, counted: 1000 - outsideUnits - outsidePeriods - otherCategory, outsideUnits, outsidePeriods, otherCategory, dropped: outsideUnits + outsidePeriods + otherCategory });

describe('incidents the units leave out are never dropped silently', () => {
  it('says nothing when nothing was left out', () => {
    expect(checkDropped(report(0), 'grid:500')).toBeUndefined();
  });
  it('reports every reason with counts and shares', () => {
    expect(checkDropped(report(30, 5, 2), 'grid:500')).toBe('37 of 1000 incidents not counted: 30 (3.0%) outside the units grid:500, 5 outside the periods, 2 in categories not forecast');
  });
  it('stops above 5% outside the units, saying how to fix it, unless accepted', () => {
    expect(() => checkDropped(report(120), 'stshn')).toThrow(/120 \(12\.0%\) outside the units stshn .* more than 5% of the incidents lie outside/);
    expect(checkDropped(report(120), 'stshn', true)).toMatch(/^120 of 1000 incidents not counted/);
  });
});
