/**
 * From backtests to a ProtocolResult: per-period contributions → metric values, bootstrap CIs over test periods
 * and paired comparisons with a reference model (src/evaluate/uncertainty.ts).
 */
import type { BacktestResult } from '../backtest/engine.js';
import { blockLength, bootstrapCI, MIN_BOOTSTRAP_UNITS, pairedBootstrap, totalsOf } from '../uncertainty.js';
import { fitWarnings } from '../../models/fit-summary.js';
import { sumCategories } from '../metrics/hotspot.js';
import { UserError } from '../../util/errors.js';
import type { MetricDef, MetricResult, ModelReport } from './types.js';

/** Builds the P × K contribution matrix of one model's backtest. */
export type Contributions = (res: BacktestResult) => Float64Array;

export function summarise(
  backtests: BacktestResult[], K: number, contributions: Contributions, metrics: MetricDef[],
  opts: { reference?: string; bootstrap?: number; seed?: number; block?: number | 'auto' },
  /** Statistics shown beside the metrics, not ranked (the bias ratio). */
  diagnostics: MetricDef[] = [],
): { reference: string; models: ModelReport[]; notes: string[] } {
  const reference = opts.reference ?? backtests[0].spec;
  const refIndex = backtests.findIndex((b) => b.spec === reference);
  if (refIndex < 0) throw new UserError(`reference model ${reference} is not among the models run (${backtests.map((b) => b.spec).join(', ')})`);
  const contrib = dropSkippedPeriods(backtests, backtests.map(contributions), K);
  const P = contrib[0].length / K;
  const block = opts.block === 'auto' ? blockLength(P) : opts.block ?? 1;
  const boot = { B: opts.bootstrap ?? 1000, seed: opts.seed ?? 1, block };
  const resample = P >= MIN_BOOTSTRAP_UNITS;
  const notes = [resample
    ? `95% CIs and paired p-values: ${boot.B} bootstrap resamples of the ${P} test periods${block > 1 ? ` in circular blocks of ${block}` : ' drawn independently (--block auto for serially dependent periods)'}.`
    : `Only ${P} test period${P === 1 ? '' : 's'} (windows): too few to resample (at least ${MIN_BOOTSTRAP_UNITS}), so no CIs or p-values are given — compare estimates only, and add test windows for a test.`];
  const models = backtests.map((res, m): ModelReport => {
    const totals = totalsOf(contrib[m], K);
    const out: Record<string, MetricResult> = {};
    const worse: string[] = [];
    for (const def of metrics) {
      if (!metricApplies(def.name, res)) continue;
      const value = def.stat(totals);
      if (!resample) {
        const r: MetricResult = { value, lo: NaN, hi: NaN, better: def.better };
        if (m !== refIndex && metricApplies(def.name, backtests[refIndex])) r.vsReference = { diff: value - def.stat(totalsOf(contrib[refIndex], K)), lo: NaN, hi: NaN, p: NaN };
        out[def.name] = r;
        continue;
      }
      const ci = bootstrapCI(contrib[m], K, def.stat, boot);
      const r: MetricResult = { value, lo: ci.lo, hi: ci.hi, better: def.better };
      if (m !== refIndex && metricApplies(def.name, backtests[refIndex])) {
        const d = pairedBootstrap(contrib[m], contrib[refIndex], K, def.stat, boot);
        r.vsReference = { diff: d.diff, lo: d.lo, hi: d.hi, p: d.p };
        if (isHeadline(def.name) && (def.better === 'higher' ? d.hi < 0 : d.lo > 0)) worse.push(def.name);
      }
      out[def.name] = r;
    }
    const RC = res.regions * res.categories;
    const last = res.mean.subarray(res.mean.length - RC);
    return {
      spec: res.spec, name: res.name, params: res.params, family: res.family, metrics: out,
      timing: { fits: res.fits, updates: res.updates, fitMs: res.fitMs, updateMs: res.updateMs, predictMs: res.predictMs },
      fitted: res.fitted,
      warnings: [...fitWarnings(res.fitted), ...(res.ranIn ? [res.ranIn] : [])],
      worseThanReference: worse,
      lastPeriodRisk: Float32Array.from(sumCategories(last, res.categories)),
      ...(res.external ? { external: res.external } : {}),
      ...(diagnostics.length && metricApplies(diagnostics[0].name, res) ? { bias: diagnosticValues(diagnostics.filter((d) => metricApplies(d.name, res)), contrib[m], K, totals, resample ? boot : undefined) } : {}),
    };
  });
  return { reference, models, notes };
}

/**
 * Which metrics a row is scored on: box and ranking forecasts (external files without values) only on hit rate /
 * PAI / PEI, including their own coverage ("@own"); P(≥1) files on hot spots and the occurrence scores; everything
 * else on all but "@own".
 */
export function metricApplies(name: string, res: BacktestResult): boolean {
  const kind = res.external?.kind;
  const own = /@own\//.test(name);
  const hot = /(hitRate|PAI|PEI)@/.test(name);
  if (kind === 'boxes' || kind === 'ranking') return hot;
  if (kind === 'probability') return (hot && !own) || /^(Brier|binaryLogScore)\//.test(name);
  // a named loss-optimal functional ("maskedMAE[positive-median]") needs the row's predictive distribution
  if (name.includes('[') && !res.points) return false;
  return !own;
}

/** Drops, for every row, the test periods an external file lacks under --external-missing skip. */
function dropSkippedPeriods(backtests: BacktestResult[], contrib: Float64Array[], K: number): Float64Array[] {
  const skip = new Set(backtests.flatMap((b) => b.external?.skippedPeriods ?? []));
  if (skip.size === 0) return contrib;
  return contrib.map((c) => {
    const P = c.length / K, out = new Float64Array((P - skip.size) * K);
    for (let p = 0, q = 0; p < P; p++) if (!skip.has(p)) out.set(c.subarray(p * K, (p + 1) * K), K * q++);
    return out;
  });
}

function diagnosticValues(defs: MetricDef[], contrib: Float64Array, K: number, totals: Float64Array, boot?: Parameters<typeof bootstrapCI>[3]) {
  const out: Record<string, { value: number; lo: number; hi: number }> = {};
  for (const d of defs) {
    const ci = boot ? bootstrapCI(contrib, K, d.stat, boot) : { lo: NaN, hi: NaN };
    out[d.name] = { value: d.stat(totals), lo: ci.lo, hi: ci.hi };
  }
  return out;
}

/** Pooled metrics: no per-category suffix, or the "/all" group. The ones a leaderboard shows by default. */
export function isHeadline(name: string): boolean {
  return !/\//.test(name) || /\/all$/.test(name);
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
