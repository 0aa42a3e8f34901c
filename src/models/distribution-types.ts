/**
 * Predictive distributions for counts, stored columnar alongside a Forecast's `mean` array
 * (every per-cell array has the same length and layout as `mean`).
 *
 * - poisson:   Y ~ Poisson(mean)
 * - negbin:    Y ~ NB with mean `mean` and size k (variance = mean + mean²/k); k = Infinity is Poisson
 * - zip:       zero-inflated Poisson: with probability pi a structural zero, else Poisson(lambda),
 *              where lambda = mean / (1 - pi)
 * - zinb:      zero-inflated negative binomial, likewise with size k
 * - bernoulli: Y ∈ {0, 1} with P(Y = 1) = mean (occurrence classifiers on binary data)
 * - samples:   an empirical distribution from `n` simulated draws, laid out [s][cell] (point-process simulators)
 */
export type PredictiveDistribution =
  | { family: 'poisson' }
  | { family: 'negbin'; size: Float32Array }
  | { family: 'zip'; pi: Float32Array }
  | { family: 'zinb'; pi: Float32Array; size: Float32Array }
  | { family: 'bernoulli' }
  | { family: 'samples'; n: number; samples: Float32Array };

export type DistributionFamily = PredictiveDistribution['family'];
