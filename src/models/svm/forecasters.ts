/** Support vector machines (linear and RBF) as occurrence forecasters over the engineered features. */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import { FeatureForecaster, learnedParams } from '../learned/feature-forecaster.js';
import { SupportVectorMachine } from './svm.js';

for (const kernel of ['linear', 'rbf'] as const) {
  registerForecaster({
    name: `svm-${kernel}`,
    family: 'svm',
    description: `${kernel === 'linear' ? 'Linear' : 'RBF-kernel'} SVM of P(≥1 event) (dual coordinate descent, Platt-scaled probabilities).`,
    params: z.object({
      ...learnedParams,
      C: z.coerce.number().positive().default(1),
      gamma: z.coerce.number().positive().optional(),
      maxTrain: z.coerce.number().int().positive().default(2000),
    }),
    create: (p) => new FeatureForecaster(`svm-${kernel}`, p, () => new SupportVectorMachine({ kernel, C: p.C, gamma: p.gamma, maxTrain: p.maxTrain })),
  });
}
