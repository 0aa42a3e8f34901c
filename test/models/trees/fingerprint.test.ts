import { describe, expect, it } from 'vitest';
import { fingerprints } from './fingerprint-cases.js';

// Recorded from the grower as it was before the speed work of issue 21 (node sums re-summed over each node's rows),
// with only its two tie rules added (split candidates stop at the last non-empty bin; a later candidate must beat
// the best gain by a relative 1e-10): any speed change must reproduce these up to float rounding.
const EXPECTED: Record<string, number[]> = {
  gbmPoisson: [738.9298386759068, 2.5323074851397718, 2.2797769073411036, 1.1806023897435942, 1.958561796009808],
  gbmPoissonUnclipped: [733.8774686259854, 2.358153543683192, 2.3591264450248275, 1.1957955546160899, 2.1712738255206783],
  gbmBinaryDepth: [254.32584192970018, 0.8794376858976548, 0.8805592815654506, 0.7633381682236763, 0.861233257985486],
  gbmSquared: [739.8436620307388, 2.4837662364077255, 2.181016211922593, 1.3034807784715063, 1.9976641409903555],
  forest: [742.8590064247468, 3.4812770562770563, 1.7961003907289512, 1.2792171822212457, 1.874653597915998],
  forestSqrt: [744.0319108342245, 1.7556877412802072, 1.5685231431368445, 2, 1.5536945979933594],
  tree: [758.1720440927447, 2.5454545454545454, 2.3621794871794872, 1.0126582278481013, 2.3621794871794872],
};

describe('tree learners: fitted predictions pinned', () => {
  const got = fingerprints();
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name} predicts as before`, () => {
      expect(got[name].length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[name][i] - want[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(want[i])));
    });
  }
});
