import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/crimeforecaster.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRIMEFORECASTER_DATA, CRIMEFORECASTER_UNITS, loadCrimeForecasterUnits, tuneThresholds } from '../../../src/evaluate/protocols/crimeforecaster.js';
import { neighborsOf } from '../../../src/space/units.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

describe.runIf(hasShared(CRIMEFORECASTER_DATA))('crimeforecaster protocol (Chicago 2015)', () => {
  it('reproduces the README baseline rows', async () => {
    const res = await runProtocol('crimeforecaster', ['persistence', 'any-in-window:window=8', 'constant:value=1'], { dataDir: SHARED_DATA, bootstrap: 200, workers: 1 });
    expect(res.testPeriodStart.length).toBe(30);
    const [pers, any, ones] = res.models.map((m) => m.metrics);
    // the papers' macro-F1 (mean over the 8 categories), then the stricter mean over the 616 columns (data README)
    expect(pers.macroF1.value).toBeCloseTo(0.5959, 4);
    expect(any.macroF1.value).toBeCloseTo(0.6400, 4);
    expect(ones.macroF1.value).toBeCloseTo(0.6148, 4);
    expect(pers['macroF1.columns'].value).toBeCloseTo(0.4433, 4);
    expect(pers.microF1.value).toBeCloseTo(0.6386, 4);
    expect(any['macroF1.columns'].value).toBeCloseTo(0.5633, 4);
    expect(any.microF1.value).toBeCloseTo(0.6610, 4);
    expect(ones['macroF1.columns'].value).toBeCloseTo(0.5738, 4);
    expect(ones.microF1.value).toBeCloseTo(0.6300, 4);
    expect(res.reference).toBe('persistence');
    expect(any['macroF1.columns'].vsReference!.diff).toBeCloseTo(0.5633 - 0.4433, 3);
    expect(any['macroF1.columns'].vsReference!.lo).toBeGreaterThan(0);
    expect(any.macroF1.vsReference!.diff).toBeCloseTo(0.6400 - 0.5959, 3);
  }, 60_000);
});

describe.runIf(hasShared(CRIMEFORECASTER_DATA) && hasShared(CRIMEFORECASTER_UNITS))('crimeforecaster units', () => {
  it('community-area polygons in benchmark order, adjacency equal to the benchmark graph', () => {
    const units = loadCrimeForecasterUnits(join(SHARED_DATA, CRIMEFORECASTER_UNITS), 77);
    expect(units.ids[0]).toBe('1');
    expect(units.ids[76]).toBe('77');
    // the paper's graph: 0-based area pairs at distance 0
    const rows = readFileSync(join(SHARED_DATA, 'crimeforecaster-chicago2015/geo_chicago/chicago_neighborhood.csv'), 'utf8').trim().split('\n').slice(1);
    const expected = new Set<string>();
    for (const line of rows) {
      const [a, b, d] = line.split(',').map(Number);
      if (a !== b && d === 0) expected.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
    }
    const got = new Set<string>();
    for (let i = 0; i < units.n; i++) for (const j of neighborsOf(units.adjacency, i)) got.add(`${Math.min(i, j)}-${Math.max(i, j)}`);
    expect(got.size).toBe(expected.size);
    expect([...expected].filter((e) => !got.has(e))).toEqual([]);
  });
});

describe('validation-chosen thresholds', () => {
  it('pick the grid threshold with the best F1 on the validation days, ties nearest 0.5', () => {
    // 2 columns × 4 days: column 0 is positive on days 0-1 with p 0.3 (0.1 on the others); column 1 never, p 0.2
    const pAny = Float32Array.from([0.3, 0.2, 0.3, 0.2, 0.1, 0.2, 0.1, 0.2]);
    const obs = Float32Array.from([1, 0, 1, 0, 0, 0, 0, 0]);
    // any t in (0.2, 0.3] separates column 0 perfectly without false alarms in column 1
    expect(tuneThresholds(pAny, obs, 4, 2)).toEqual({ macro: 0.3, micro: 0.3 });
    // 0/1 forecasts: every threshold scores the same, so the default 0.5 stays
    expect(tuneThresholds(Float32Array.from([1, 0, 1, 0]), Float32Array.from([1, 0, 0, 0]), 2, 2)).toEqual({ macro: 0.5, micro: 0.5 });
  });
});

describe.runIf(hasShared(CRIMEFORECASTER_DATA))('crimeforecaster with --threshold validation', () => {
  it('tunes on the 15 days before the test month and scores the same 30 test days', async () => {
    const res = await runProtocol('crimeforecaster', ['any-in-window:window=8', 'historical-average'], { dataDir: SHARED_DATA, bootstrap: 200, workers: 1, threshold: 'validation' });
    expect(res.testPeriodStart.length).toBe(30);
    const [any, ha] = res.models.map((m) => m.metrics);
    // a 0/1 rule is unaffected by the threshold
    expect(any.macroF1.value).toBeCloseTo(0.6400, 4);
    expect(any['macroF1.columns'].value).toBeCloseTo(0.5633, 4);
    // the long-run rate at 0.5 never flags rare columns (macro F1 0.2101); a tuned threshold does
    expect(ha.macroF1.value).toBeGreaterThan(0.4);
    expect(res.notes[0]).toMatch(/historical-average 0\.\d+\/0\.\d+/);
  }, 60_000);
});
