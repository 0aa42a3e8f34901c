/**
 * What a reader should use, decided by a stated rule on the run's two headline metrics — the hot-spot one (PAI at
 * 1% of the area, where patrols go) and the count one (log score, how good the whole forecast is) — with the paired
 * bootstrap against the reference. A model is recommended only when its paired 95% CI on a headline metric excludes
 * zero in its favour and it is not significantly worse on the other; otherwise the reference stays.
 */
import type { MetricResult, ModelReport, ProtocolResult } from '../protocols/types.js';

const HOTSPOT_ORDER = [/^PAI@1%\/all$/, /^PAI@[^/]+\/all$/, /^PAI@/];
const COUNT_ORDER = [/^logScore\/all$/, /^binaryLogScore\/all$/, /^deviance\/all$/, /^maskedMAE\/all$/, /^MAE\/all$/, /^Brier\/all$/, /^macroF1$/, /^microF1$/, /^meanF1$/];

function firstMatch(names: string[], order: RegExp[]): string | undefined {
  for (const re of order) { const n = names.find((m) => re.test(m)); if (n) return n; }
  return undefined;
}

export interface Headlines { hotspot?: string; count?: string }

export function headlineMetrics(result: ProtocolResult): Headlines {
  return { hotspot: firstMatch(result.metricNames, HOTSPOT_ORDER), count: firstMatch(result.metricNames, COUNT_ORDER) };
}

/** +1: significantly better than the reference, −1: significantly worse, 0: not distinguishable (or no test). */
export function verdict(m: MetricResult | undefined): -1 | 0 | 1 {
  const v = m?.vsReference;
  if (!v || !Number.isFinite(v.lo) || !Number.isFinite(v.hi)) return 0;
  const better = m!.better === 'higher' ? v.lo > 0 : v.hi < 0;
  const worse = m!.better === 'higher' ? v.hi < 0 : v.lo > 0;
  return better ? 1 : worse ? -1 : 0;
}

export interface Recommendation {
  /** The model to use (the reference when nothing beats it). */
  model: ModelReport;
  /** Index in result.models. */
  index: number;
  beatsReference: boolean;
  /** The metric the choice rests on, when a model beats the reference. */
  decidedBy?: string;
  rule: string;
  /** No paired test could be made (too few test periods). */
  untested: boolean;
}

const isLongRun = (spec: string) => /^historical-average\b/.test(spec);

export function referenceName(result: ProtocolResult): string {
  return isLongRun(result.reference) ? `the long-run map (${result.reference})` : `the reference (${result.reference})`;
}

export function recommend(result: ProtocolResult): Recommendation {
  const h = headlineMetrics(result);
  const refIndex = Math.max(0, result.models.findIndex((m) => m.spec === result.reference));
  const rule = `Rule: a model is recommended over ${referenceName(result)} when its paired 95% bootstrap interval on ${[h.hotspot, h.count].filter(Boolean).join(' or ')} ` +
    `lies entirely on the better side, and it is not significantly worse on the other headline metric; ties go to ${h.hotspot ?? h.count}. Otherwise use the reference.`;
  const untested = result.models.every((m) => Object.values(m.metrics).every((r) => !r.vsReference || !Number.isFinite(r.vsReference.lo)));
  // own forecasts only: a file's forecast is scored for comparison, not something this tool can produce next week
  const candidates = result.models.map((m, i) => ({ m, i })).filter(({ m }) => m.spec !== result.reference && !m.external);
  for (const [primary, other] of [[h.hotspot, h.count], [h.count, h.hotspot]] as const) {
    if (!primary) continue;
    const wins = candidates.filter(({ m }) => verdict(m.metrics[primary]) === 1 && (!other || verdict(m.metrics[other]) !== -1));
    if (wins.length === 0) continue;
    const better = wins[0].m.metrics[primary].better;
    wins.sort((a, b) => (better === 'higher' ? b.m.metrics[primary].value - a.m.metrics[primary].value : a.m.metrics[primary].value - b.m.metrics[primary].value));
    return { model: wins[0].m, index: wins[0].i, beatsReference: true, decidedBy: primary, rule, untested };
  }
  return { model: result.models[refIndex], index: refIndex, beatsReference: false, rule, untested };
}

/** Typical length of a test period, in words ("1 day", "1 week", "6 hours"). */
export function periodWords(starts: ArrayLike<number>): string {
  if (starts.length < 2) return 'period';
  const d = (starts[starts.length - 1] - starts[0]) / (starts.length - 1) / 3_600_000;
  if (Math.abs(d - 24) <= 1) return 'day';
  if (Math.abs(d - 168) <= 1) return 'week';
  if (d > 24 * 27 && d < 24 * 32) return 'month';
  return d < 24 ? `${+d.toFixed(1)} hours` : `${+(d / 24).toFixed(1)} days`;
}

const pct = (v: number) => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;

/** "PAI 16 at 1%" in operational terms: km² flagged, share of crime found there, and what that means for a patrol hour. */
export function paiMeaning(result: ProtocolResult, model: ModelReport, hotspot: string): string | undefined {
  const pai = model.metrics[hotspot]?.value;
  const share = Number(/@([\d.]+)%/.exec(hotspot)?.[1]) / 100;
  if (!Number.isFinite(pai) || !(share > 0)) return undefined;
  const area = result.units ? Array.from(result.units.area).reduce((a, b) => a + b, 0) / 1e6 : NaN;
  const hit = model.metrics[hotspot.replace(/^PAI/, 'hitRate')]?.value ?? pai * share;
  const where = Number.isFinite(area) ? `${(share * area).toFixed(area * share < 10 ? 1 : 0)} km² (${pct(share)} of the ${area.toFixed(0)} km² study area)` : `${pct(share)} of the study area`;
  // whole regions are flagged, so the area actually flagged is a little under the target share: PAI divides by it
  const flaggedShare = pai > 0 ? hit / pai : share;
  return `PAI ${pai.toFixed(1)} at ${pct(share)} means: the ${where} that ${model.spec} flags each ${periodWords(result.testPeriodStart)} held ${pct(hit)} of the incidents; ` +
    `share of crime ÷ share of area = ${pct(hit)} ÷ ${(100 * flaggedShare).toFixed(2)}% (the whole regions actually flagged). An hour of patrol there passes about ${pai.toFixed(0)} times the crime of an hour spent at a random place in the study area.`;
}

export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 0.001 || a >= 1e5) ? v.toExponential(2) : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toPrecision(3);
}

/** One plain-language sentence on a model versus the reference on one metric. */
export function versusSentence(result: ProtocolResult, model: ModelReport, metric: string): string {
  const r = model.metrics[metric];
  const ref = result.models.find((m) => m.spec === result.reference)?.metrics[metric];
  if (!r) return `${metric}: not scored for ${model.spec}`;
  if (model.spec === result.reference || !r.vsReference) return `${metric}: ${fmtNum(r.value)}${Number.isFinite(r.lo) ? ` (95% CI ${fmtNum(r.lo)} to ${fmtNum(r.hi)})` : ''}`;
  const v = r.vsReference;
  const rel = ref && ref.value !== 0 ? ` (${v.diff >= 0 ? '+' : ''}${(100 * v.diff / Math.abs(ref.value)).toFixed(0)}%)` : '';
  const sig = verdict(r);
  const ci = Number.isFinite(v.lo) ? `, paired 95% CI ${fmtNum(v.lo)} to ${fmtNum(v.hi)}, p = ${v.p.toFixed(3)}` : ', no test: too few test periods';
  return `${metric}: ${fmtNum(r.value)} vs ${fmtNum(ref?.value ?? NaN)} for ${result.reference}, a difference of ${v.diff >= 0 ? '+' : ''}${fmtNum(v.diff)}${rel}${ci} — ` +
    (sig === 1 ? 'significantly better' : sig === -1 ? 'significantly worse' : 'not distinguishable from the reference') + ` (${r.better} is better)`;
}
