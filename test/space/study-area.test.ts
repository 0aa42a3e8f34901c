import { describe, expect, it } from 'vitest';
import { incidentTableFromColumns } from '../../src/data/incident-table.js';
import { studyAreaUnits } from '../../src/space/study-area.js';

// training incidents in two clusters 5 km apart; a later incident in between lands in a cell with no training data
const pts = (lat: number[], lon: number[]) => incidentTableFromColumns({
  t: lat.map((_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000), lat: Float64Array.from(lat), lon: Float64Array.from(lon),
  category: lat.map(() => 'theft'), tz: 'UTC', categories: ['theft'],
});

describe('own-data study area', () => {
  const training = pts([41.80, 41.801, 41.85, 41.851], [-87.70, -87.701, -87.65, -87.651]);
  it('a default grid keeps only cells holding a training incident, and says so', () => {
    const a = studyAreaUnits('grid:500', training);
    expect(a.spec).toBe('grid:500,mask=incidents');
    expect(a.units.n).toBe(2);
    expect(a.fromTraining).toBe(true);
    expect(a.note).toMatch(/^study area: the 2 cells of grid:500 holding at least one of the 4 incidents before the test span/);
    // a test incident between the clusters is outside the study area
    expect(a.units.assign(Float64Array.of(41.825), Float64Array.of(-87.675))[0]).toBe(-1);
  });
  it('mask=none keeps the whole bounding box of the training incidents', () => {
    const a = studyAreaUnits('grid:500,mask=none', training);
    expect(a.units.n).toBeGreaterThan(100);
    expect(a.fromTraining).toBe(false);
    expect(a.note).toMatch(/whole bounding box/);
  });
});
