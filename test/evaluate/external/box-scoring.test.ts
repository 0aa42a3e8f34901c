import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { ownCoveragePeriod, tiedHotspotPeriod } from '../../../src/evaluate/external/box-hotspot.js';
import { clippedArea, intersectionArea, isConvexRing } from '../../../src/evaluate/external/overlap.js';
import { externalBacktest } from '../../../src/evaluate/external/to-backtest.js';
import { runRolling } from '../../../src/evaluate/protocols/rolling.js';
import { smallCity } from './synthetic-city.js';

const ring = (...xy: number[]) => Float64Array.from([...xy, xy[0], xy[1]]);

describe('polygon overlap', () => {
  it('clips by the convex polygon, either orientation, holes subtracted', () => {
    const square = ring(0, 0, 2, 0, 2, 2, 0, 2);
    const shifted = ring(1, 1, 3, 1, 3, 3, 1, 3);
    expect(clippedArea(square, shifted)).toBeCloseTo(1, 12);
    expect(clippedArea(square, ring(0, 2, 2, 2, 2, 0, 0, 0))).toBeCloseTo(4, 12); // clockwise clip ring
    // an L-shaped (non-convex) unit against a convex box
    const L = ring(0, 0, 3, 0, 3, 1, 1, 1, 1, 3, 0, 3);
    expect(isConvexRing(L)).toBe(false);
    expect(intersectionArea([[L]], [[ring(0, 0, 2, 0, 2, 2, 0, 2)]])).toBeCloseTo(3, 12);
    // a unit with a hole
    const withHole = [[ring(0, 0, 4, 0, 4, 4, 0, 4), ring(1, 1, 3, 1, 3, 3, 1, 3)]];
    expect(intersectionArea(withHole, [[ring(0, 0, 2, 0, 2, 4, 0, 4)]])).toBeCloseTo(8 - 2, 12);
    expect(intersectionArea([[L]], [[L]])).toBeNull(); // neither convex: refused, not guessed
  });
});

describe('hot spots of tied scores', () => {
  it('split a tied group straddling the budget in expectation, in proportion to area', () => {
    // 10 equal units; 4 flagged (score 1) holding 8, 0, 2, 2 crimes; at 20% (2 units) half the group's crimes count
    const score = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0], obs = [1, 8, 0, 0, 0, 2, 3, 2, 0, 0];
    const [at20, at50] = tiedHotspotPeriod(score, obs, [0.2, 0.5]);
    expect(at20.captured).toBeCloseTo(12 * 2 / 4, 12);
    expect(at20.areaShare).toBeCloseTo(0.2, 12);
    expect(at20.nStar).toBe(8 + 3);
    // at 50%: all 4 flagged plus 1 of the 6 unflagged (4 crimes among them) in expectation
    expect(at50.captured).toBeCloseTo(12 + 4 / 6, 12);
    const own = ownCoveragePeriod('boxes', [0, 1, 0, 1, 0, 0.5, 0, 1, 0, 0], obs);
    expect(own.captured).toBeCloseTo(8 + 1 + 2, 12);
    expect(own.areaShare).toBeCloseTo(3.5 / 10, 12);
  });
});

describe('external rows in a rolling protocol', () => {
  it('box rows get only hot-spot metrics; --external-missing skip drops the periods for every row', async () => {
    const ctx = smallCity();
    const { tensor, units } = ctx;
    const T = 4, RC = 18;
    // boxes on c11 every test day; a count file with test period 2 absent (skip)
    const boxValues = new Float32Array(T * RC);
    for (let p = 0; p < T; p++) boxValues[(p * 9 + 4) * 2] = boxValues[(p * 9 + 4) * 2 + 1] = 1;
    const mean = new Float32Array(T * RC).fill(1);
    const box = externalBacktest('vendor', ctx, { kind: 'boxes', values: boxValues, notes: [] }, { file: 'b.geojson', sha256: 'x'.repeat(64), kind: 'boxes', notes: [] });
    const skip = externalBacktest('gappy', ctx, { kind: 'count', values: mean, notes: [] }, { file: 'g.csv', sha256: 'y'.repeat(64), kind: 'count', notes: ['gaps'], skippedPeriods: [2] });
    const all = await runRolling({ tensor, units }, ['historical-average'], { testStart: 6, bootstrap: 50, workers: 1 });
    // score prepared rows through the protocol's own fields, as runRolling does for loaded files
    const { summarise, perPeriod } = await import('../../../src/evaluate/protocols/summarise.js');
    const { FieldLayout } = await import('../../../src/evaluate/protocols/field-layout.js');
    const { countFields } = await import('../../../src/evaluate/protocols/count-fields.js');
    const { hotspotFields } = await import('../../../src/evaluate/protocols/hotspot-fields.js');
    const layout = new FieldLayout();
    const counts = countFields(layout, tensor.categoryNames);
    const hot = hotspotFields(layout, 2, { all: [0, 1] }, [0.2], units!.area, undefined, undefined, { own: true });
    const contributions = (b: typeof box) => perPeriod(b, layout.K, (row, p) => {
      const pred = b.mean.subarray(p * RC, (p + 1) * RC), obs = tensor.data.subarray((6 + p) * RC, (7 + p) * RC);
      counts.fill(row, pred, obs, b.logScore.subarray(p * 2, p * 2 + 2), b.rps.subarray(p * 2, p * 2 + 2));
      hot.fill(row, pred, obs, b.external?.kind);
    });
    const ha = all.backtests[0];
    const { models } = summarise([ha, box, skip], layout.K, contributions, [...counts.metrics, ...hot.metrics], { bootstrap: 50 }, counts.diagnostics);
    const [m0, mBox, mSkip] = models;
    expect(Object.keys(mBox.metrics).every((n) => /(hitRate|PAI|PEI)@/.test(n))).toBe(true);
    expect(mBox.metrics['hitRate@own/all']).toBeDefined();
    expect(m0.metrics['hitRate@own/all']).toBeUndefined();
    expect(mBox.bias).toBeUndefined();
    // own coverage of c11 (1 of 9 equal-ish cells) captures the c11 counts of the kept periods 0, 1, 3
    let c11 = 0, total = 0;
    for (const p of [0, 1, 3]) for (let r = 0; r < 9; r++) for (let c = 0; c < 2; c++) {
      const y = tensor.data[((6 + p) * 9 + r) * 2 + c]; total += y; if (r === 4) c11 += y;
    }
    expect(mBox.metrics['hitRate@own/all'].value).toBeCloseTo(c11 / total, 12);
    // the count row forecasts 1 everywhere: bias = 1 / mean actual over the same kept periods
    expect(mSkip.bias!['bias/all'].value).toBeCloseTo((3 * RC) / total, 12);
    // the skipped period is dropped for the built-in model too
    expect(m0.metrics['MAE/all'].value).not.toBeCloseTo(all.models[0].metrics['MAE/all'].value, 12);
  });
});

describe('P(≥1) forecasts', () => {
  it('are scored on the Brier and binary log scores beside the models, and on hot spots, not on count metrics', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const ctx = smallCity();
    const { tensor, units } = ctx;
    const lines = ['unit,period,category,p_any'];
    let brier = 0, n = 0;
    for (let p = 0; p < 4; p++) for (let r = 0; r < 9; r++) for (let c = 0; c < 2; c++) {
      const prob = 0.1 + 0.08 * r, y = tensor.data[((6 + p) * 9 + r) * 2 + c];
      lines.push(`${units!.ids[r]},2021-06-${String(7 + p).padStart(2, '0')},${c ? 'theft' : 'burglary'},${prob}`);
      brier += (prob - (y >= 1 ? 1 : 0)) ** 2; n++;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'pany-')), 'p.csv');
    writeFileSync(file, lines.join('\n'));
    const res = await runRolling({ tensor, units }, ['historical-average'], { testStart: 6, bootstrap: 50, workers: 1, external: [{ name: 'p', file }] });
    const [ha, pf] = res.models;
    expect(pf.external!.kind).toBe('probability');
    expect(pf.metrics['Brier/all'].value).toBeCloseTo(brier / n, 6);
    expect(pf.metrics['MAE/all']).toBeUndefined();
    expect(pf.metrics['PAI@5%/all']).toBeDefined();
    expect(ha.metrics['Brier/all'].value).toBeGreaterThan(0);
    expect(pf.metrics['Brier/all'].vsReference).toBeDefined();
    const bad = join(mkdtempSync(join(tmpdir(), 'pany-')), 'bad.csv');
    writeFileSync(bad, lines.map((l, i) => (i === 3 ? l.replace(/,[^,]+$/, ',1.5') : l)).join('\n'));
    await expect(runRolling({ tensor, units }, ['historical-average'], { testStart: 6, workers: 1, external: [{ name: 'p', file: bad }] }))
      .rejects.toThrow(/bad\.csv line 4: probability 1\.5 is outside \[0, 1\]/);
  });
});

describe('ranking forecasts', () => {
  it('are scored on hot spots only; their own coverage is the ranked units', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const ctx = smallCity();
    const { tensor, units } = ctx;
    // each test day, both categories: c00 rank 1, c11 rank 2; nothing else listed
    const lines = ['unit,period,category,rank'];
    let listed = 0, total = 0;
    for (let p = 0; p < 4; p++) for (const [c, cat] of ['burglary', 'theft'].entries()) {
      lines.push(`c00,2021-06-${7 + p < 10 ? '0' : ''}${7 + p},${cat},1`, `c11,2021-06-${7 + p < 10 ? '0' : ''}${7 + p},${cat},2`);
      for (let r = 0; r < 9; r++) { const y = tensor.data[((6 + p) * 9 + r) * 2 + c]; total += y; if (r === 0 || r === 4) listed += y; }
    }
    const file = join(mkdtempSync(join(tmpdir(), 'rank-')), 'r.csv');
    writeFileSync(file, lines.join('\n'));
    const res = await runRolling({ tensor, units }, ['historical-average'], { testStart: 6, bootstrap: 50, workers: 1, external: [{ name: 'r', file }] });
    const rk = res.models[1];
    expect(rk.external!.kind).toBe('ranking');
    expect(rk.metrics['MAE/all']).toBeUndefined();
    expect(rk.bias).toBeUndefined();
    expect(rk.metrics['hitRate@own/all'].value).toBeCloseTo(listed / total, 12);
    await expect(runRolling({ tensor, units }, ['historical-average'], { testStart: 6, workers: 1, external: [{ name: 'r', file: (writeFileSync(file + '.bad.csv', lines.map((l, i) => (i === 1 ? l.replace(/,1$/, ',0') : l)).join('\n')), file + '.bad.csv') }] }))
      .rejects.toThrow(/line 2: rank 0 is below 1/);
  });
});
