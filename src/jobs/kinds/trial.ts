/**
 * The `trial` job: one hyper-parameter search trial scored on a worker, against a ValidationTask (plain JSON). It
 * runs the local executor's own scoreTrial, so a search gets the same scores whether its trials run here or in
 * process; the result is the TrialResult (a failing model gives score = Infinity — stored as JSON null — and `error`).
 */
import { z } from 'zod';
import '../../models/all.js';
import type { Trial } from '../../evaluate/selection/executor.js';
import { scoreTrial } from '../../evaluate/selection/local-executor.js';
import { VALIDATION_METRICS } from '../../evaluate/selection/validation-score.js';
import { loadValidationData, TUNABLE_PROTOCOLS, type ValidationData, type ValidationTask } from '../../evaluate/selection/validation-task.js';
import { modelSpec } from './dataset.js';
import { registerJobKind } from './registry.js';

export const ValidationTaskParams = z.object({
  protocol: z.enum(TUNABLE_PROTOCOLS),
  dataDir: z.string().optional(),
  models: z.array(z.string()).min(1),
  validationPeriods: z.number().int().min(1).optional(),
  metric: z.enum(VALIDATION_METRICS),
  refitEvery: z.number().int().min(1),
  seed: z.number().int(),
}).strict();

export const TrialParams = z.object({
  task: ValidationTaskParams,
  trial: z.object({ id: z.number().int(), spec: modelSpec, periods: z.number().int().min(1) }).strict(),
}).strict();

export type TrialJobParams = { task: ValidationTask; trial: Trial };

/** Validation data, loaded once per worker thread for the many trials of a search (keyed by what decides it). */
async function validationData(task: ValidationTask, cache: Map<string, unknown>): Promise<ValidationData> {
  const key = `trial:${JSON.stringify([task.protocol, task.dataDir ?? null, task.models, task.validationPeriods ?? null])}`;
  const hit = cache.get(key) as ValidationData | undefined;
  if (hit) return hit;
  const vd = await loadValidationData(task);
  cache.clear(); // one dataset per thread, as for the other kinds: bounds memory
  cache.set(key, vd);
  return vd;
}

registerJobKind<TrialJobParams>({
  kind: 'trial',
  description: 'one hyper-parameter search trial scored on validation periods before a protocol\'s test span; result: the trial\'s score',
  params: TrialParams,
  async run({ task, trial }, ctx) {
    const vd = await validationData(task, ctx.cache);
    const r = await scoreTrial({ data: vd.data, valEnd: vd.valEnd, metric: task.metric, refitEvery: task.refitEvery, seed: task.seed }, trial);
    ctx.progress(1, trial.spec);
    return r;
  },
});
