import { describe, expect, it } from 'vitest';
import { tf, initDeep } from '../../../src/models/deep/backend.js';
import { lossValue, meanFrom, offsetFor } from '../../../src/models/deep/losses.js';
import { buildSeries, fitNormaliser } from '../../../src/models/deep/series.js';
import { samplesFor } from '../../../src/models/deep/deep-model.js';
import { MlpNet } from '../../../src/models/deep/nets/region-nets.js';
import { syntheticHistory } from './synthetic.js';

describe('deep training framework', () => {
  it('Poisson NLL and weighted BCE match hand computation; zero-weight cells do not count', async () => {
    await initDeep();
    const out = [0.2, -1, 0.5, 3], off = [0, 0.5, -0.2, 0], y = [1, 0, 3, 7], w = [1, 1, 2, 0];
    const T = (a: number[]) => tf.tensor2d(a, [1, 4]);
    const pois = lossValue('poisson', T(out), T(off), T(y), T(w)).dataSync()[0];
    let want = 0;
    for (let i = 0; i < 4; i++) { const e = out[i] + off[i]; want += w[i] * (Math.exp(e) - y[i] * e); }
    expect(pois).toBeCloseTo(want / 4, 5);
    const sp = (x: number) => Math.log1p(Math.exp(x));
    const bce = lossValue('bce', T(out), T(off), T(y), T(w), 3).dataSync()[0];
    let wb = 0;
    for (let i = 0; i < 4; i++) { const e = out[i] + off[i]; wb += w[i] * (y[i] > 0 ? 3 * sp(-e) : sp(e)); }
    expect(bce).toBeCloseTo(wb / 4, 5);
  });

  it('offsets and means are inverse: rate → logit of P(y ≥ 1) → the Poisson mean with that P(y ≥ 1)', () => {
    for (const rate of [0.01, 0.3, 2.5]) {
      expect(meanFrom('poisson', offsetFor('poisson', Math.log(rate)))).toBeCloseTo(rate, 6);
      expect(meanFrom('bce', offsetFor('bce', Math.log(rate)))).toBeCloseTo(rate, 4);
    }
  });

  it('normalisation sees only the training periods', () => {
    const h = syntheticHistory(60);
    const a = fitNormaliser(h.tensor, 0, 40);
    const data = h.tensor.data.slice();
    for (let i = 40 * 72; i < data.length; i++) data[i] = 100; // change everything after the training periods
    const b = fitNormaliser({ ...h.tensor, data }, 0, 40);
    expect(b).toEqual(a);
    expect(fitNormaliser({ ...h.tensor, data }, 0, 41).mean).not.toEqual(a.mean);
  });

  it('windows read only periods before the target', async () => {
    await initDeep();
    const h = syntheticHistory(30);
    const norm = fitNormaliser(h.tensor, 0, 20);
    const net = new MlpNet({ regions: 36, categories: 2, calWidth: 10, season: 7, lookback: 5, hidden: 4, adjacency: h.units!.adjacency });
    const s = buildSeries(h.tensor, norm);
    const batch = samplesFor(net, 20, 21, 36);
    const before = net.inputs(s, batch)[0].dataSync().slice();
    for (let i = 20 * 72; i < s.z.length; i++) s.z[i] = 1e3; // the target period and later
    const after = net.inputs(s, batch)[0].dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    for (let i = 19 * 72; i < 20 * 72; i++) s.z[i] = 1e3; // the period just before does change them
    expect(Array.from(net.inputs(s, batch)[0].dataSync())).not.toEqual(Array.from(before));
  });
});
