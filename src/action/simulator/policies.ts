/** Policies by name for the CLI and experiments. */
import { UserError } from '../../util/errors.js';
import { LinUcbPolicy } from '../bandit/linucb.js';
import { QLearningPolicy } from '../bandit/qlearning.js';
import { ThompsonPolicy } from '../bandit/thompson.js';
import { TopKForecastPolicy } from '../bandit/topk-forecast.js';
import type { PatrolPolicy } from './policy.js';

export const POLICY_NAMES = ['topk', 'thompson', 'linucb', 'qlearn', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export function makePolicy(name: string, opts: { topkModel?: string } = {}): PatrolPolicy | 'oracle' {
  switch (name) {
    case 'topk': return new TopKForecastPolicy(opts.topkModel);
    case 'thompson': return new ThompsonPolicy();
    case 'linucb': return new LinUcbPolicy();
    case 'qlearn': return new QLearningPolicy();
    case 'oracle': return 'oracle';
    default: throw new UserError(`unknown policy "${name}"`, `choose one of ${POLICY_NAMES.join(', ')}`);
  }
}
