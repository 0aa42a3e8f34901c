/** Historical average: the mean count of each cell over all history (window=0) or over the last `window` periods. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { MeanBaseline, distParams } from './mean-baseline.js';
import { windowMean } from './history-stats.js';

registerForecaster({
  name: 'historical-average',
  family: 'baseline',
  description: 'Mean count per cell over the whole history (or the last `window` periods when window > 0).',
  params: z.object({ window: z.coerce.number().int().min(0).default(0), ...distParams }),
  create: (p) => new MeanBaseline('historical-average', p, (t, _h, out) => { windowMean(t, p.window, out); }),
});
