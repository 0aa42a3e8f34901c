/** Bayesian classifiers as occurrence forecasters over the engineered features. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { FeatureForecaster, learnedParams } from '../learned/feature-forecaster.js';
import { GaussianNaiveBayes } from './naive-bayes.js';
import { TreeAugmentedNaiveBayes } from './tan.js';

registerForecaster({
  name: 'naive-bayes',
  family: 'bayes',
  description: 'Gaussian naive Bayes of P(≥1 event) on lagged, spatial and calendar features.',
  params: z.object({ ...learnedParams, varSmoothing: z.coerce.number().nonnegative().default(1e-9) }),
  create: (p) => new FeatureForecaster('naive-bayes', p, () => new GaussianNaiveBayes(p.varSmoothing)),
});

registerForecaster({
  name: 'tan',
  family: 'bayes',
  description: 'Tree-augmented naive Bayes: a Bayesian-network classifier whose feature tree is learned from conditional mutual information.',
  params: z.object({ ...learnedParams, bins: z.coerce.number().int().min(2).max(50).default(5), alpha: z.coerce.number().positive().default(1) }),
  create: (p) => new FeatureForecaster('tan', p, () => new TreeAugmentedNaiveBayes(p.bins, p.alpha)),
});
