import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/crimeforecaster.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRIMEFORECASTER_DATA, CRIMEFORECASTER_UNITS, loadCrimeForecasterUnits } from '../../../src/evaluate/protocols/crimeforecaster.js';
import { neighborsOf } from '../../../src/space/units.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

describe.runIf(hasShared(CRIMEFORECASTER_DATA))('crimeforecaster protocol (Chicago 2015)', () => {
  it('reproduces the README baseline rows', async () => {
    const res = await runProtocol('crimeforecaster', ['persistence', 'any-in-window:window=8', 'constant:value=1'], { dataDir: SHARED_DATA, bootstrap: 200, workers: 1 });
    expect(res.testPeriodStart.length).toBe(30);
    const [pers, any, ones] = res.models.map((m) => m.metrics);
    expect(pers.macroF1.value).toBeCloseTo(0.4433, 4);
    expect(pers.microF1.value).toBeCloseTo(0.6386, 4);
    expect(any.macroF1.value).toBeCloseTo(0.5633, 4);
    expect(any.microF1.value).toBeCloseTo(0.6610, 4);
    expect(ones.macroF1.value).toBeCloseTo(0.5738, 4);
    expect(ones.microF1.value).toBeCloseTo(0.6300, 4);
    expect(res.reference).toBe('persistence');
    expect(any.macroF1.vsReference!.diff).toBeCloseTo(0.5633 - 0.4433, 3);
    expect(any.macroF1.vsReference!.lo).toBeGreaterThan(0);
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
