import { describe, expect, it } from 'vitest';
import '../../../src/models/all.js';
import { LocalExecutor } from '../../../src/evaluate/selection/local-executor.js';
import { paramSpace, parseParamRange } from '../../../src/evaluate/selection/param-space.js';
import { successiveHalving } from '../../../src/evaluate/selection/search.js';
import { checkTunableProtocol, loadValidationData } from '../../../src/evaluate/selection/validation-task.js';
import { SHARED_DATA, hasShared } from '../../helpers.js';

describe('tuning under a published protocol', () => {
  it('only tunable protocols are accepted', () => {
    expect(() => checkTunableProtocol('nij-portland')).toThrow(/tuning supports the protocols st-hsl, st-shn/);
  });

  describe.runIf(hasShared('stshn-chicago-2016-2017/tensors_npy'))('ST-HSL', () => {
    it('validates on the 30 val days just before the test span and finds a long moving-average window', async () => {
      const vd = await loadValidationData({ protocol: 'st-hsl', dataDir: SHARED_DATA, models: ['moving-average'], metric: 'logscore', refitEvery: 7, seed: 1 });
      expect([vd.valEnd - vd.validationPeriods, vd.valEnd, vd.testEnd]).toEqual([609, 639, 731]);
      const ex = new LocalExecutor({ data: vd.data, valEnd: vd.valEnd, metric: 'logscore', refitEvery: 7 });
      const space = paramSpace('moving-average', [parseParamRange('window=3..60')]);
      const sh = await successiveHalving(space, { budget: 9, maxPeriods: vd.validationPeriods, minPeriods: 10, eta: 3, executor: ex, seed: 1 });
      expect(sh.rungs).toEqual([{ configs: 9, periods: 10 }, { configs: 3, periods: 30 }]);
      const w = Number(/window=(\d+)/.exec(sh.best.spec)![1]);
      // daily crime counts per 3 km cell: short windows are noisy, the long ones win on validation (window=59 with
      // a full search; ≥ 30 among the nine drawn here)
      expect(w).toBeGreaterThanOrEqual(30);
      expect(sh.best.score).toBeGreaterThan(0.55);
      expect(sh.best.score).toBeLessThan(0.7);
    });
  });
});
