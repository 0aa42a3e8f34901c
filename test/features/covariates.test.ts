import { describe, it, expect } from 'vitest';
import { joinCovariates, mergeCovariates } from '../../src/features/covariates.js';
import { riskTerrain } from '../../src/features/risk-terrain.js';
import { adjacencyFromLists, type SpatialUnits } from '../../src/space/units.js';
import { hasShared, sharedPath } from '../helpers.js';

const SOCIO = 'chicago-covariates/socioeconomic/census_selected_socioeconomic_indicators_2008_2012.csv';

describe('area covariates', () => {
  it.runIf(hasShared(SOCIO))('joins the Chicago socio-economic table to community areas by number, dropping the city-total row', () => {
    const ids = Array.from({ length: 77 }, (_, i) => String(i + 1));
    const j = joinCovariates(sharedPath(SOCIO), ids, 'Community Area Number');
    expect(j.missingRegions).toEqual([]);
    expect(j.unmatchedKeys).toEqual([]); // the blank-keyed city total is not a region
    const k = j.covariates.names.length;
    expect(j.covariates.names).toContain('PER CAPITA INCOME'); // trailing space in the header is trimmed
    expect(j.covariates.names).not.toContain('COMMUNITY AREA NAME'); // not numeric
    const hardship = j.covariates.names.indexOf('HARDSHIP INDEX');
    expect(j.covariates.values[0 * k + hardship]).toBe(39); // area 1, Rogers Park
    expect(j.covariates.values[76 * k + hardship]).toBe(19); // area 77, Edgewater
  });

  it('merges covariate blocks side by side', () => {
    const m = mergeCovariates([{ names: ['a'], values: Float64Array.of(1, 2) }, { names: ['b', 'c'], values: Float64Array.of(3, 4, 5, 6) }], 2);
    expect(m.names).toEqual(['a', 'b', 'c']);
    expect(Array.from(m.values)).toEqual([1, 3, 4, 2, 5, 6]);
  });

  it('computes risk-terrain distance and density features', () => {
    const units = {
      n: 2, centroidLat: Float64Array.of(41.8, 41.9), centroidLon: Float64Array.of(-87.7, -87.7),
      adjacency: adjacencyFromLists([[], []]),
    } as unknown as SpatialUnits;
    // two stops ~111 m and ~222 m north of region 0's centroid (0.001° latitude ≈ 111 m)
    const cov = riskTerrain(units, [{ name: 'stops', lat: Float64Array.of(41.801, 41.802), lon: Float64Array.of(-87.7, -87.7) }], 150);
    expect(cov.names).toEqual(['dist_stops', 'n150m_stops']);
    expect(cov.values[0]).toBeGreaterThan(109);
    expect(cov.values[0]).toBeLessThan(113);
    expect(cov.values[1]).toBe(1);
    // region 1 is (41.9 − 41.802)° ≈ 0.098 × 111.07 km ≈ 10.885 km from the nearer stop
    expect(cov.values[2]).toBeGreaterThan(10_850);
    expect(cov.values[2]).toBeLessThan(10_920);
    expect(cov.values[3]).toBe(0);
  });
});

describe('covariate cells that are not numbers', () => {
  it('become missing values, counted per column with their lines, never silently', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { describeMissing } = await import('../../src/features/numeric-cell.js');
    const file = join(mkdtempSync(join(tmpdir(), 'cov-')), 'areas.csv');
    writeFileSync(file, 'area,income,share\n1,100,0.5\n2,n/a,0.25\n3,,0x10\n4,1e3,12%\n');
    const j = joinCovariates(file, ['1', '2', '3', '4'], 'area');
    expect(j.covariates.names).toEqual(['income', 'share']);
    expect(Array.from(j.covariates.values)).toEqual([100, 0.5, NaN, 0.25, NaN, NaN, 1000, NaN]);
    expect(j.missingValues).toEqual([
      { column: 'income', blank: 1, unparsable: 1, lines: [3] },
      { column: 'share', blank: 0, unparsable: 2, lines: [4, 5] },
    ]);
    expect(describeMissing('areas.csv', j.missingValues)[1]).toBe('covariates areas.csv: column "share": 2 value(s) are not numbers (lines 4, 5) and 0 blank — both used as missing');
  });
});
