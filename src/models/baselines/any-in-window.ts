/** Any in window: P(≥1) = 1 when the cell had any event in the last `window` periods, else 0. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { OccurrenceBaseline } from './occurrence-forecaster.js';
import { windowOccurrenceShare } from './history-stats.js';

registerForecaster({
  name: 'any-in-window',
  family: 'baseline',
  description: 'Occurrence (Bernoulli): 1 if any event in the cell in the last `window` periods, else 0.',
  params: z.object({ window: z.coerce.number().int().positive().default(8) }),
  create: (p) => new OccurrenceBaseline('any-in-window', p, (t, out) => {
    windowOccurrenceShare(t, p.window, out);
    for (let i = 0; i < out.length; i++) out[i] = out[i] > 0 ? 1 : 0;
  }),
});
