/** k-nearest-neighbour regression as a count forecaster over the engineered features. */
import { z } from 'zod';
import { flag, registerForecaster } from '../registry.js';
import { FeatureForecaster, learnedParams } from '../learned/feature-forecaster.js';
import { KNearestNeighbors } from './knn.js';

registerForecaster({
  name: 'knn',
  family: 'neighbors',
  description: 'k-nearest-neighbour regression of counts on standardised features (brute force over a seeded subsample).',
  params: z.object({
    ...learnedParams,
    k: z.coerce.number().int().positive().default(25),
    maxTrain: z.coerce.number().int().positive().default(5000),
    weighted: flag(false),
  }),
  create: (p) => new FeatureForecaster('knn', p, () => new KNearestNeighbors(p.k, p.maxTrain, p.weighted)),
});
