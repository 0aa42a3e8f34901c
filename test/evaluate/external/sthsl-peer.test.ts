import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import '../../../src/models/baselines/index.js';
import { runProtocol } from '../../../src/evaluate/protocols/registry.js';
import '../../../src/evaluate/protocols/st-hsl.js';
import { ST_HSL_DATA } from '../../../src/evaluate/protocols/st-hsl.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

const CATS = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'];
const PEER = 'stshn-chicago-2016-2017/peer-forecasts';
const file = (n: string) => join(SHARED_DATA, PEER, `${n}.npy`);

describe.runIf(hasShared(ST_HSL_DATA) && hasShared(`${PEER}/sthsl_mean_of_5_seeds.npy`))('ST-HSL peer forecasts as external rows', () => {
  it('reproduce the peer-forecasts README (masked MAE per category, unmasked MAE, bias) with paired CIs against historical-average', async () => {
    const res = await runProtocol('st-hsl', ['historical-average'], {
      dataDir: SHARED_DATA, bootstrap: 200, workers: 1, reference: 'historical-average',
      external: [
        { name: 'sthsl-mean5', file: file('sthsl_mean_of_5_seeds'), negative: 'keep' },
        { name: 'sthsl-seed523', file: file('sthsl_seed523'), negative: 'keep' },
      ],
    });
    const [ha, mean5, s523] = res.models;
    expect(mean5.external?.kind).toBe('count');
    expect(mean5.external?.sha256).toMatch(/^[0-9a-f]{64}$/);
    [1.3089, 1.1472, 0.7255, 0.8672].forEach((v, c) => expect(mean5.metrics[`maskedMAE/${CATS[c]}`].value).toBeCloseTo(v, 4));
    expect(mean5.metrics['MAE/all'].value).toBeCloseTo(0.4634, 4);
    expect(mean5.metrics['RMSE/all'].value).toBeCloseTo(0.8873, 4);
    // mean forecast 0.742 against an actual 0.631 per cell-day: 1.18
    expect(mean5.bias!['bias/all'].value).toBeCloseTo(0.742 / 0.631, 2);
    expect(mean5.bias!['bias/all'].lo).toBeGreaterThan(1.1);
    [1.3078, 1.1538, 0.7358, 0.8694].forEach((v, c) => expect(s523.metrics[`maskedMAE/${CATS[c]}`].value).toBeCloseTo(v, 4));
    expect(s523.metrics['MAE/all'].value).toBeCloseTo(0.4817, 4);
    // historical-average: the README's "mean of all history" row, unbiased-ish
    expect(ha.metrics['MAE/all'].value).toBeCloseTo(0.4045, 4);
    expect(Math.abs(ha.bias!['bias/all'].value - 0.658 / 0.631)).toBeLessThan(0.01);
    // paired against historical-average: ST-HSL is significantly worse on the unmasked MAE
    const d = mean5.metrics['MAE/all'].vsReference!;
    expect(d.diff).toBeCloseTo(0.4634 - 0.4045, 3);
    expect(d.lo).toBeGreaterThan(0);
    expect(mean5.worseThanReference).toContain('MAE/all');
    // the notes say the negative values were kept, with their share
    expect(res.notes.some((n) => /sthsl-mean5 .*negative=keep: 4319 of 61824/.test(n))).toBe(true);
  }, 60_000);

  it('refuses the negative values unless told what to do with them', async () => {
    await expect(runProtocol('st-hsl', ['historical-average'], {
      dataDir: SHARED_DATA, workers: 1, external: [{ name: 'sthsl', file: file('sthsl_seed523') }],
    })).rejects.toThrow(/sthsl_seed523\.npy: negative forecast -?\d.* at \[\d+, \d+, \d+, \d\] \(7286 negative values in all\)/);
  }, 60_000);
});
