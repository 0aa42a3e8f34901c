/** Moving average: the mean count of each cell over the last `window` periods, flat over the horizon. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { MeanBaseline, distParams } from './mean-baseline.js';
import { windowMean } from './history-stats.js';

registerForecaster({
  name: 'moving-average',
  family: 'baseline',
  description: 'Mean count per cell over the last `window` periods (the ST-HSL naive baseline is window=30).',
  params: z.object({ window: z.coerce.number().int().positive().default(30), ...distParams }),
  create: (p) => new MeanBaseline('moving-average', p, (t, _h, out) => { windowMean(t, p.window, out); }),
});
