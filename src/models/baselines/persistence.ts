/** Persistence (naive): every future period repeats the last observed one. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { MeanBaseline, distParams } from './mean-baseline.js';
import { windowMean } from './history-stats.js';

registerForecaster({
  name: 'persistence',
  family: 'baseline',
  description: 'The last observed period, repeated over the horizon.',
  params: z.object({ ...distParams }),
  create: (p) => new MeanBaseline('persistence', p, (t, _h, out) => { windowMean(t, 1, out); }),
});
