import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/crimeforecaster.js';
import { CRIMEFORECASTER_DATA } from '../../../src/evaluate/protocols/crimeforecaster.js';
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
