/**
 * The `backtest` job: a rolling-origin backtest of one or more models on a dataset from the store (or a synthetic
 * city), exactly what `crimecast backtest` does on one's own data; the result is the leaderboard with 95% CIs.
 */
import { z } from 'zod';
import '../../models/all.js';
import { runRolling } from '../../evaluate/protocols/rolling.js';
import type { ProtocolResult } from '../../evaluate/protocols/types.js';
import { localDateToUtc } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { DatasetParams, loadJobDataset, localDate, modelSpec } from './dataset.js';
import { registerJobKind } from './registry.js';

export const BacktestParams = z.object({
  ...DatasetParams,
  /** First test period, a local date; or the number of final periods to test on. */
  testFrom: localDate.optional(),
  testPeriods: z.number().int().min(1).optional(),
  horizon: z.number().int().min(1).default(1),
  models: z.array(modelSpec).min(1),
  reference: z.string().optional(),
  bootstrap: z.number().int().min(10).default(200),
  seed: z.number().int().default(1),
  refitEvery: z.number().int().min(1).optional(),
}).strict().refine((p) => (p.testFrom === undefined) !== (p.testPeriods === undefined), 'give exactly one of testFrom and testPeriods');

export type BacktestJobParams = z.infer<typeof BacktestParams>;

/** The leaderboard part of a protocol result: per model, every metric with its CI and paired test. */
export function leaderboardJson(r: ProtocolResult, seconds: number) {
  return {
    protocol: r.protocol, description: r.description, categories: r.categories, regions: r.regionIds.length,
    testPeriods: r.testPeriodStart.length, reference: r.reference, seconds: +seconds.toFixed(3),
    models: r.models.map((m) => ({
      spec: m.spec, family: m.family, timing: m.timing, fitted: m.fitted, warnings: m.warnings, worseThanReference: m.worseThanReference, metrics: m.metrics,
      ...(m.bias ? { bias: m.bias } : {}), ...(m.external ? { external: m.external } : {}),
    })),
  };
}

registerJobKind({
  kind: 'backtest',
  description: 'rolling-origin backtest of models on a stored dataset or a synthetic city; result: leaderboard with 95% CIs',
  params: BacktestParams,
  async run(p, ctx) {
    const t0 = performance.now();
    const data = await loadJobDataset(p, ctx);
    const T = data.tensor.periods;
    const testStart = p.testPeriods !== undefined ? T - p.testPeriods : data.tensor.periodStart.findIndex((t) => t >= localDateToUtc(p.testFrom!, data.tensor.tz));
    if (testStart <= 0 || testStart >= T) throw new UserError(`the test window leaves no ${testStart <= 0 ? 'training history' : 'test periods'} (${T} periods in the data)`);
    const done = new Map<string, number>();
    const result = await runRolling(data, p.models, {
      testStart, horizon: p.horizon, reference: p.reference, bootstrap: p.bootstrap, seed: p.seed, refitEvery: p.refitEvery, workers: 1,
      onProgress: (model, fraction) => {
        done.set(model, fraction);
        ctx.progress([...done.values()].reduce((a, b) => a + b, 0) / p.models.length, model);
      },
    });
    return leaderboardJson(result, (performance.now() - t0) / 1000);
  },
});
