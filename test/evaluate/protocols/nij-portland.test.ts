import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/nij-portland.js';
import { NIJ_PORTLAND_DATA, nijFlaggedCells } from '../../../src/evaluate/protocols/nij-portland.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

describe('NIJ flagged-area bounds', () => {
  it('600 ft cells: 20 to 58 cells make 0.25–0.75 sq mi', () => {
    const cell = (600 * 0.3048) ** 2;
    expect(nijFlaggedCells(cell)).toEqual({ min: 20, max: 58 });
    // 250 ft cells (62,500 sq ft): 0.25 sq mi is exactly 111.5 cells → 112
    expect(nijFlaggedCells((250 * 0.3048) ** 2)).toEqual({ min: 112, max: 334 });
  });
});

describe.runIf(hasShared(NIJ_PORTLAND_DATA))('nij-portland protocol', () => {
  it('scores PAI / PEI for 1- and 2-week windows per category', async () => {
    const res = await runProtocol('nij-portland', ['historical-average', 'persistence', 'constant:value=1'], { dataDir: SHARED_DATA, bootstrap: 50, workers: 1 });
    const [ha, pers, flat] = res.models.map((m) => m.metrics);
    for (const w of ['1w', '2w']) {
      for (const cat of ['all', 'BURGLARY', 'STREET CRIMES', 'MOTOR VEHICLE THEFT']) {
        const pei = ha[`${w}/PEI@0.75sqmi/${cat}`].value;
        expect(pei).toBeGreaterThanOrEqual(0);
        expect(pei).toBeLessThanOrEqual(1);
      }
      // two months of calls concentrate strongly: the historical average's all-calls hot spots beat chance by far
      expect(ha[`${w}/PAI@0.25sqmi/all`].value).toBeGreaterThan(10);
      expect(ha[`${w}/PEI@0.25sqmi/all`].value).toBeGreaterThan(0.5);
    }
    // a flat forecast ranks by region index: PAI far below the historical average
    expect(flat['1w/PAI@0.25sqmi/all'].value).toBeLessThan(ha['1w/PAI@0.25sqmi/all'].value / 3);
    expect(pers['1w/PAI@0.25sqmi/all'].value).toBeGreaterThan(0);
    expect(res.notes[1]).toMatch(/^Flagged: 20 cells \(0\.258 sq mi\) and 58 cells \(0\.749 sq mi\)/);
  }, 60_000);
});
