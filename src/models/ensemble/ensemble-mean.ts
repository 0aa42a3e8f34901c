/**
 * `ensemble-mean`: a weighted average (linear pool) of member forecasts, weights fitted on validation periods to
 * maximise the mixture's log likelihood (or equal weights). The forecast is the mixture of member distributions.
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import type { History } from '../forecaster.js';
import type { ValidationSet } from './validation.js';
import { EnsembleForecaster, broadcastWeights, categoryCells, ensembleParams, type Combination, type EnsembleParams } from './ensemble-base.js';
import { mixtureWeights } from './weights.js';

export interface EnsembleMeanParams extends EnsembleParams { weighting: 'loglik' | 'equal' }

export class EnsembleMean extends EnsembleForecaster {
  declare readonly params: Readonly<EnsembleMeanParams>;

  protected learn(val: ValidationSet | undefined, history: History): Combination {
    const M = this.memberCount, { regions: R, categories: C } = history.tensor;
    if (!val || this.params.weighting === 'equal') return { weight: new Float64Array(M * R * C).fill(1 / M) };
    const w = categoryCells(val, this.params.perCategory).map((cells) => mixtureWeights(val.logp, cells));
    return { weight: broadcastWeights(w, M, R, C) };
  }
}

registerForecaster({
  name: 'ensemble-mean',
  family: 'ensemble',
  description: 'Weighted average (mixture) of member forecasts; weights maximise the log likelihood on the last `validation` training periods (members refitted before them). members=a|b|c, a member\'s parameters separated by ";".',
  params: z.object({ ...ensembleParams, weighting: z.enum(['loglik', 'equal']).default('loglik') }),
  create: (p) => new EnsembleMean('ensemble-mean', p),
});
