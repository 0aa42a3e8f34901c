/** Constant: the same expected count everywhere (value=1 is the "constant 1" / "all ones" reference row). */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { MeanBaseline } from './mean-baseline.js';

registerForecaster({
  name: 'constant',
  family: 'baseline',
  description: 'A constant expected count `value` in every cell (Poisson).',
  params: z.object({ value: z.coerce.number().min(0).default(1) }),
  create: (p) => new MeanBaseline('constant', { ...p, dist: 'poisson', dispersionPeriods: 1 }, (_t, _h, out) => { out.fill(p.value); }),
});
