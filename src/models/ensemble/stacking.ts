/**
 * `stacking`: non-negative weights on member forecast means fitted on validation periods, minimising the Poisson
 * deviance (loss=poisson) or squared error (loss=squared, NNLS) — the weights need not sum to one, so stacking can
 * also correct a common level bias. The stacked mean is Σ w_m μ_m; its distribution is the mixture of member
 * distributions with weights w_m / Σw, each component's mean scaled by Σw at the member's own dispersion.
 */
import { z } from 'zod';
import { registerForecaster } from '../registry.js';
import type { History } from '../forecaster.js';
import type { ValidationSet } from './validation.js';
import { EnsembleForecaster, categoryCells, ensembleParams, type Combination, type EnsembleParams } from './ensemble-base.js';
import { nnlsWeights, poissonStackWeights } from './weights.js';

export interface StackingParams extends EnsembleParams { loss: 'poisson' | 'squared' }

export class Stacking extends EnsembleForecaster {
  declare readonly params: Readonly<StackingParams>;

  protected learn(val: ValidationSet | undefined, history: History): Combination {
    const M = this.memberCount, { regions: R, categories: C } = history.tensor, RC = R * C;
    const weight = new Float64Array(M * RC).fill(1 / M), scale = new Float64Array(RC).fill(1);
    if (!val) return { weight, scale };
    const groups = categoryCells(val, this.params.perCategory);
    groups.forEach((cells, g) => {
      const w = this.params.loss === 'poisson' ? poissonStackWeights(val.mean, val.y, cells) : nnlsWeights(val.mean, val.y, cells);
      const S = w.reduce((a, b) => a + b, 0);
      // all-zero weights (e.g. no event in the validation periods) would forecast zero forever: keep the plain mean
      if (!(S > 0)) return;
      for (let j = 0; j < RC; j++) {
        if (groups.length > 1 && j % C !== g) continue;
        scale[j] = S;
        for (let m = 0; m < M; m++) weight[m * RC + j] = w[m] / S;
      }
    });
    return { weight, scale };
  }
}

registerForecaster({
  name: 'stacking',
  family: 'ensemble',
  description: 'Stacked member means with non-negative weights minimising Poisson deviance (or squared error) on the last `validation` training periods, per category by default. members=a|b|c, a member\'s parameters separated by ";".',
  params: z.object({ ...ensembleParams, loss: z.enum(['poisson', 'squared']).default('poisson') }),
  create: (p) => new Stacking('stacking', p),
});
