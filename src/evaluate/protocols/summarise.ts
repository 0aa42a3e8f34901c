/**
 * From backtests to a ProtocolResult: per-period contributions → metric values, bootstrap CIs over test periods
 * and paired comparisons with a reference model (src/evaluate/uncertainty.ts).
 */
import type { BacktestResult } from '../backtest/engine.js';
import { bootstrapCI, pairedBootstrap, totalsOf } from '../uncertainty.js';
import { sumCategories } from '../metrics/hotspot.js';
import { UserError } from '../../util/errors.js';
import type { MetricDef, MetricResult, ModelReport } from './types.js';

/** Builds the P × K contribution matrix of one model's backtest. */
export type Contributions = (res: BacktestResult) => Float64Array;

export function summarise(
  backtests: BacktestResult[], K: number, contributions: Contributions, metrics: MetricDef[],
  opts: { reference?: string; bootstrap?: number; seed?: number },
): { reference: string; models: ModelReport[] } {
  const reference = opts.reference ?? backtests[0].spec;
  const refIndex = backtests.findIndex((b) => b.spec === reference);
  if (refIndex < 0) throw new UserError(`reference model ${reference} is not among the models run (${backtests.map((b) => b.spec).join(', ')})`);
  const contrib = backtests.map(contributions);
  const boot = { B: opts.bootstrap ?? 1000, seed: opts.seed ?? 1 };
  const models = backtests.map((res, m): ModelReport => {
    const totals = totalsOf(contrib[m], K);
    const out: Record<string, MetricResult> = {};
    for (const def of metrics) {
      const ci = bootstrapCI(contrib[m], K, def.stat, boot);
      const r: MetricResult = { value: def.stat(totals), lo: ci.lo, hi: ci.hi, better: def.better };
      if (m !== refIndex) {
        const d = pairedBootstrap(contrib[m], contrib[refIndex], K, def.stat, boot);
        r.vsReference = { diff: d.diff, lo: d.lo, hi: d.hi, p: d.p };
      }
      out[def.name] = r;
    }
    const RC = res.regions * res.categories;
    const last = res.mean.subarray(res.mean.length - RC);
    return {
      spec: res.spec, name: res.name, params: res.params, family: res.family, metrics: out,
      timing: { fits: res.fits, fitMs: res.fitMs, predictMs: res.predictMs },
      lastPeriodRisk: Float32Array.from(sumCategories(last, res.categories)),
    };
  });
  return { reference, models };
}

/** Ratio of two totals, NaN when the denominator is 0. */
export const ratio = (num: number, den: number) => (t: Float64Array) => (t[den] > 0 ? t[num] / t[den] : NaN);

/** P × K matrix filled period by period. */
export function perPeriod(res: BacktestResult, K: number, fill: (row: Float64Array, p: number) => void): Float64Array {
  const P = res.testEnd - res.testStart;
  const out = new Float64Array(P * K);
  for (let p = 0; p < P; p++) fill(out.subarray(p * K, (p + 1) * K), p);
  return out;
}
