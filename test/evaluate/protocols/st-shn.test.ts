import { describe, expect, it } from 'vitest';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/st-shn.js';
import { ST_HSL_DATA } from '../../../src/evaluate/protocols/st-hsl.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

const CATS = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'];

describe.runIf(hasShared(ST_HSL_DATA))('st-shn protocol (Chicago 2016-17 occurrence)', () => {
  it('reproduces the README reference rule and the all-positive row', async () => {
    const res = await runProtocol('st-shn', ['occurrence-rate:window=30,threshold=0.5', 'occurrence-rate:window=30', 'constant:value=1'], { dataDir: SHARED_DATA, bootstrap: 200, workers: 1 });
    const [hard, soft, ones] = res.models;
    [0.7016, 0.7098, 0.6262, 0.7176].forEach((v, c) => expect(hard.metrics[`F1/${CATS[c]}`].value).toBeCloseTo(v, 4));
    expect(hard.metrics.meanF1.value).toBeCloseTo(0.6888, 4);
    expect(hard.metrics.pooledF1.value).toBeCloseTo(0.6877, 4);
    // thresholding the soft share at 0.5 is the same rule; its Brier score is better than a hard 0/1 one
    expect(soft.metrics.meanF1.value).toBeCloseTo(hard.metrics.meanF1.value, 10);
    expect(soft.metrics['Brier/all'].value).toBeLessThan(hard.metrics['Brier/all'].value);
    expect(ones.metrics.meanF1.value).toBeCloseTo(0.6875, 4);
    expect(res.notes[0]).toMatch(/^Scored pairs: \d+ of 672/);
  }, 60_000);
});
