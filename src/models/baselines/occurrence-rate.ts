/**
 * Occurrence rate: P(≥1) = share of the last `window` periods with at least one event. With `threshold` the rule
 * is hardened to 1 when the share is ≥ threshold (the ST-SHN reference rule is window=30,threshold=0.5).
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { OccurrenceBaseline } from './occurrence-forecaster.js';
import { windowOccurrenceShare } from './history-stats.js';

registerForecaster({
  name: 'occurrence-rate',
  family: 'baseline',
  description: 'Occurrence (Bernoulli): share of the last `window` periods with ≥1 event; hard 0/1 at `threshold` when given.',
  params: z.object({
    window: z.coerce.number().int().positive().default(30),
    threshold: z.coerce.number().min(0).max(1).optional(),
  }),
  create: (p) => new OccurrenceBaseline('occurrence-rate', p, (t, out) => {
    windowOccurrenceShare(t, p.window, out);
    if (p.threshold !== undefined) for (let i = 0; i < out.length; i++) out[i] = out[i] >= p.threshold ? 1 : 0;
  }),
});
