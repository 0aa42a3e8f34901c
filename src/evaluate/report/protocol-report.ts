/**
 * A protocol's result as a report that decides: first what to use and why (a stated rule on the headline metrics
 * with paired CIs against the reference, what PAI means in km², the recommended model's map), then the run in
 * words, who wins each pooled metric, a glossary; full tables (grouped, collapsed) and model details below.
 */
import type { ProtocolResult } from '../protocols/types.js';
import type { SpatialUnits } from '../../space/units.js';
import { coverageGrid, emptyHotspotSums, hotspotMetricsFromSums, hotspotPeriod, sumCategories, flaggedCount, flagOrder } from '../metrics/hotspot.js';
import type { ReportChart, ReportInput, ReportMap, ReportOverlay, ReportSection, ReportTable, ReportWideTable } from './types.js';
import { fmtNum, headlineMetrics, paiMeaning, periodWords, recommend, referenceName, verdict, versusSentence } from './decision.js';
import { glossaryFor } from './glossary.js';
import { winnerOf } from './html.js';
import { biasFor, externalLabel } from '../external/marks.js';
import { fitSummaryLine } from '../../models/fit-summary.js';

export interface ProtocolReportExtras {
  /** Observed counts of the test periods, [period][region][category] (for hit-rate curves). */
  observed?: Float32Array;
  /** Region areas (hot-spot metrics use area, not cell count). */
  area?: ArrayLike<number>;
  /** Geometry for the map. */
  units?: SpatialUnits;
  /** Extra sections (fairness audit, model cards…). */
  sections?: ReportSection[];
  /** Own-data context (dataset, units, dates, refit cadence) shown in words. */
  run?: RunContext;
  /** Slippy-map tile URL template for the map's basemap (off by default: the report stays offline). */
  basemap?: string;
  /** The user's boundaries drawn over the map (--overlay). */
  overlays?: ReportOverlay[];
}

export function metricTables(result: ProtocolResult): ReportTable[] {
  return result.metricNames.map((name) => ({
    metric: name,
    better: result.models.find((m) => m.metrics[name])?.metrics[name].better ?? 'lower',
    rows: result.models.map((m) => {
      const r = m.metrics[name];
      return {
        model: m.spec,
        value: r?.value ?? NaN,
        lo: r?.lo,
        hi: r?.hi,
        vsRef: r?.vsReference ? { reference: result.reference, ...r.vsReference } : undefined,
        bias: biasFor(m, name)?.value,
        external: externalLabel(m),
      };
    }),
  }));
}

/** For each metric: the best model and whether its paired difference to every other model is significant. */
export function winners(result: ProtocolResult): { metric: string; winner: string; significant: boolean; note: string }[] {
  return metricTables(result).map((t) => {
    const w = winnerOf(t);
    if (w < 0) return { metric: t.metric, winner: '–', significant: false, note: 'no finite values' };
    const row = t.rows[w];
    // significance is judged against the reference by the paired bootstrap; the reference itself is judged by the others' p
    let significant: boolean;
    if (row.model === result.reference) significant = t.rows.every((r) => r === row || (r.vsRef !== undefined && r.vsRef.p < 0.05));
    else significant = row.vsRef !== undefined && row.vsRef.p < 0.05;
    const note = !Number.isFinite(row.vsRef?.p ?? t.rows.find((r) => r.vsRef)?.vsRef?.p ?? NaN)
      ? 'no test: too few test periods to resample'
      : row.model === result.reference
      ? `reference wins; ${significant ? 'every other model is significantly worse' : 'not significantly better than every model'}`
      : `vs ${result.reference}: Δ ${row.vsRef?.diff.toPrecision(3)} [${row.vsRef?.lo.toPrecision(3)}, ${row.vsRef?.hi.toPrecision(3)}], p = ${row.vsRef?.p.toFixed(3)}`;
    return { metric: t.metric, winner: row.model, significant, note };
  });
}

export function hitRateCurves(result: ProtocolResult, observed: Float32Array, area?: ArrayLike<number>): ReportChart {
  const R = result.regionIds.length, C = result.categories.length, RC = R * C;
  const cov = coverageGrid(Math.max(1 / R, 0.001), 30);
  const series = result.backtests.map((b) => {
    const sums = emptyHotspotSums(cov);
    const P = b.testEnd - b.testStart;
    const risk = new Float64Array(R), obs = new Float64Array(R);
    for (let p = 0; p < P; p++) {
      sumCategories(b.mean.subarray(p * RC, (p + 1) * RC), C, risk);
      sumCategories(observed.subarray(p * RC, (p + 1) * RC), C, obs);
      hotspotPeriod(risk, obs, cov, area, sums);
    }
    const m = hotspotMetricsFromSums(sums);
    return { name: b.spec, x: Array.from(m.flaggedShare), y: Array.from(m.hitRate) };
  });
  return { title: 'Hit rate vs flagged area (all categories, pooled over test periods)', xLabel: 'share of area flagged', yLabel: 'hit rate', logX: true, series };
}

export function lastPeriodMap(result: ProtocolResult, units: SpatialUnits, model = 0, coverage = 0.05, opts: { basemap?: string; tz?: string; overlays?: ReportOverlay[] } = {}): ReportMap {
  const m = result.models[model];
  const risk = m.lastPeriodRisk;
  const order = flagOrder(risk, units.area);
  const k = flaggedCount(order, coverage, units.area);
  // zero-risk regions are never flagged to fill the coverage (as in forecast products)
  const flagged = new Set(Array.from(order.subarray(0, k)).filter((r) => risk[r] > 0));
  const P = result.testPeriodStart.length;
  const last = P ? dateIn(result.testPeriodStart[P - 1], opts.tz) : '';
  const per = periodWords(result.testPeriodStart);
  const labels = (units as { properties?: Record<string, unknown>[] }).properties;
  return {
    title: `${m.spec}: expected incidents per km² in the last test ${per}${last ? ` (${last})` : ''}`,
    valueLabel: 'expected per km²',
    valueUnit: `expected incidents per km² per ${per} (all categories)`,
    flaggedLabel: `flagged: top ${(coverage * 100).toFixed(coverage < 0.01 ? 1 : 0)}% of the area`,
    basemap: opts.basemap,
    overlays: opts.overlays,
    features: Array.from({ length: units.n }, (_, r) => {
      const name = labels?.[r]?.name ?? labels?.[r]?.NAME;
      return { id: units.ids[r], label: name !== undefined ? `${String(name)} (${units.ids[r]})` : undefined, geometry: units.geometry(r), value: risk[r] / (units.area[r] / 1e6), flagged: flagged.has(r) };
    }),
  };
}

/** A run's own-data context, in words for the report (absent for published protocols). */
export interface RunContext {
  /** Where the incidents came from: a file name or a store dataset. */
  dataset?: string;
  units?: string;
  period?: string;
  testFrom?: string;
  testTo?: string;
  refitEvery?: number;
  horizon?: number;
  tz?: string;
  studyArea?: string;
}

function dateIn(ms: number, tz = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

function refitWords(k: number | undefined): string {
  return k === undefined || k <= 1 ? 'refitted at every test period' : `refitted every ${k} test periods, and updated with each new period in between`;
}

const isHotspot = (m: string) => /(^|\/)(PAI|PEI|hitRate|oraclePAI)@/.test(m);
const groupOf = (m: string) => (m.includes('/') ? m.slice(m.indexOf('/') + 1) : 'all');

function wideTable(result: ProtocolResult, caption: string, metrics: string[]): ReportWideTable {
  const tables = new Map(metricTables(result).map((t) => [t.metric, t]));
  const best = new Map(metrics.map((mt) => [mt, winnerOf(tables.get(mt)!)]));
  return {
    caption,
    columns: metrics.map((mt) => ({ metric: mt.replace(/\/[^/]*$/, ''), better: tables.get(mt)!.better })),
    rows: result.models.map((m, i) => ({
      model: m.spec,
      cells: metrics.map((mt) => {
        const r = m.metrics[mt];
        const v = r?.vsReference;
        return {
          value: r?.value ?? NaN, lo: r?.lo, hi: r?.hi, verdict: verdict(r), best: best.get(mt) === i,
          title: r ? `95% CI ${fmtNum(r.lo)} to ${fmtNum(r.hi)}${v ? `; Δ vs ${result.reference} ${fmtNum(v.diff)} [${fmtNum(v.lo)}, ${fmtNum(v.hi)}], p = ${v.p.toFixed(3)}` : ''}` : undefined,
        };
      }),
    })),
  };
}

/** Full results, grouped by which incidents are scored (all categories, then each), collapsed. */
function fullTables(result: ProtocolResult): ReportSection {
  const groups = [...new Set(result.metricNames.map(groupOf))].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : 0));
  const all = metricTables(result);
  return {
    heading: `Full results (${result.metricNames.length} metrics, grouped)`,
    collapsed: true,
    paragraphs: ['Each table: one row per model, one column per metric. ★ best value; ▲/▼ significantly better/worse than the reference (paired 95% CI excludes 0); hover a cell for its CI, Δ and p. The per-metric tables with every interval are inside each group.'],
    subsections: groups.map((g) => {
      const ms = result.metricNames.filter((m) => groupOf(m) === g);
      const counts = ms.filter((m) => !isHotspot(m)), hot = ms.filter(isHotspot);
      return {
        heading: g === 'all' ? 'All categories together' : `Category: ${g}`,
        collapsed: true,
        wideTables: [
          ...(counts.length ? [wideTable(result, 'Count and probability metrics', counts)] : []),
          ...(hot.length ? [wideTable(result, 'Hot-spot metrics (coverage = share of the area flagged)', hot)] : []),
        ],
        subsections: [{ heading: `Each metric with its 95% CI and paired test (${ms.length} tables)`, collapsed: true, tables: all.filter((t) => ms.includes(t.metric)) }],
      };
    }),
  };
}

function decisionSection(result: ProtocolResult, extras: ProtocolReportExtras): ReportSection {
  const h = headlineMetrics(result);
  const rec = recommend(result);
  const ref = referenceName(result);
  const paragraphs: string[] = [];
  if (rec.untested) paragraphs.push(`Too few test periods to resample: no model can be shown to beat ${ref}. Keep ${result.reference} and run a longer test span.`);
  else if (rec.beatsReference) paragraphs.push(`Use ${rec.model.spec}. On this run it beats ${ref} on ${rec.decidedBy} by more than chance explains, and is not significantly worse on the other headline metric.`);
  else paragraphs.push(`No model beats ${ref} on this run: keep using ${result.reference}. The differences below are within what the choice of test ${periodWords(result.testPeriodStart)}s explains.`);
  // the model the comparison is about: the recommended one, else the best challenger on the first headline metric
  const first = h.hotspot ?? h.count;
  const challengers = result.models.filter((m) => m.spec !== result.reference);
  const shown = rec.beatsReference || !first || challengers.length === 0 ? rec.model
    : challengers.reduce((a, b) => ((a.metrics[first]?.better === 'higher' ? (b.metrics[first]?.value ?? -Infinity) > (a.metrics[first]?.value ?? -Infinity) : (b.metrics[first]?.value ?? Infinity) < (a.metrics[first]?.value ?? Infinity)) ? b : a));
  if (shown.spec !== rec.model.spec) paragraphs.push(`Closest challenger: ${shown.spec}.`);
  for (const mt of [h.hotspot, h.count]) if (mt) paragraphs.push(versusSentence(result, shown.spec === result.reference ? rec.model : shown, mt));
  if (h.hotspot) { const mean = paiMeaning(result, rec.model, h.hotspot); if (mean) paragraphs.push(mean); }
  const bias = rec.model.bias?.all;
  if (bias && Number.isFinite(bias.value)) paragraphs.push(`${rec.model.spec} forecast ${bias.value >= 1 ? `${((bias.value - 1) * 100).toFixed(0)}% more` : `${((1 - bias.value) * 100).toFixed(0)}% fewer`} incidents than happened over the test span (bias ×${bias.value.toFixed(2)}, 95% CI ${bias.lo.toFixed(2)}–${bias.hi.toFixed(2)}).`);
  for (const w of rec.model.warnings) paragraphs.push(`⚠ ${w}`);
  for (const o of extras.overlays ?? []) if (o.note) paragraphs.push(`Map overlay: ${o.note}.`);
  paragraphs.push(rec.rule);
  const coverage = h.hotspot ? Number(/@([\d.]+)%/.exec(h.hotspot)?.[1]) / 100 || 0.05 : 0.05;
  const maps = extras.units ? [lastPeriodMap(result, extras.units, rec.index, coverage, { basemap: extras.basemap, tz: extras.run?.tz, overlays: extras.overlays })] : [];
  return { heading: 'What to use, and why', highlight: true, paragraphs, maps };
}

function runFacts(result: ProtocolResult, extras: ProtocolReportExtras): [string, string][] {
  const r = extras.run ?? {};
  const P = result.testPeriodStart.length, per = periodWords(result.testPeriodStart);
  const facts: [string, string][] = [];
  if (r.dataset) facts.push(['data', r.dataset]);
  if (r.units) facts.push(['spatial units', `${r.units} (${result.regionIds.length} regions${extras.units ? `, ${(Array.from(extras.units.area).reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} km²` : ''})`]);
  else facts.push(['regions', String(result.regionIds.length)]);
  if (r.studyArea) facts.push(['study area', r.studyArea]);
  facts.push(['test span', P ? `${P} ${per}s, ${dateIn(result.testPeriodStart[0], r.tz)} to ${dateIn(result.testPeriodStart[P - 1], r.tz)}${r.tz ? ` (${r.tz})` : ' (UTC dates)'}` : 'none']);
  if (r.horizon && r.horizon > 1) facts.push(['horizon', `${r.horizon} ${per}s ahead from each origin`]);
  if (r.refitEvery !== undefined || r.dataset) facts.push(['models', refitWords(r.refitEvery)]);
  facts.push(['categories', result.categories.join(', ')]);
  facts.push(['reference (paired tests)', result.reference]);
  facts.push(['confidence intervals', '95% percentile bootstrap over test periods; Δ = model − reference on the same resampled periods']);
  return facts;
}

export function protocolReport(result: ProtocolResult, extras: ProtocolReportExtras = {}): ReportInput {
  const h = headlineMetrics(result);
  const coverageTag = h.hotspot ? /@[^/]+/.exec(h.hotspot)?.[0] : undefined;
  const headline = (m: string) => groupOf(m) === 'all' && !/oraclePAI/.test(m) && (!isHotspot(m) || (coverageTag !== undefined && m.includes(coverageTag)));
  const win = winners(result).filter((w) => headline(w.metric));
  // the rolling protocol's note names the option; say the cadence in words instead
  const notes = result.notes.map((n) => n.replace(/every `refitEvery` periods/, extras.run?.refitEvery && extras.run.refitEvery > 1 ? `every ${extras.run.refitEvery} periods` : extras.run ? 'at every period' : 'every --refit-every periods'));
  const sections: ReportSection[] = [
    decisionSection(result, extras),
    { heading: 'This run', facts: runFacts(result, extras) },
    {
      heading: 'Who wins (headline metrics, all categories)',
      paragraphs: ['One line per pooled metric; per-category results are in the full tables below.'],
      facts: win.map((w) => [w.metric, `${w.winner}${w.significant ? ' (significant)' : ' (not significant)'} — ${w.note}`] as [string, string]),
    },
    { heading: 'What the metrics mean', facts: glossaryFor(result.metricNames, { bias: result.models.some((m) => m.bias) }) },
  ];
  const figs: ReportSection = { heading: 'Hot spots', charts: [], maps: [] };
  if (extras.observed) figs.charts!.push(hitRateCurves(result, extras.observed, extras.area ?? extras.units?.area));
  if (figs.charts!.length) sections.push(figs);
  sections.push(
    {
      heading: 'What each model did, and what it cost',
      collapsed: true,
      paragraphs: ['Fits and updates as the engine made them, sub-models and fallbacks with their share of the data, and rows to read with care (⚠) or that lose significantly to the reference (✗).'],
      facts: result.models.map((m) => [m.spec, [
        fitSummaryLine(m.fitted),
        ...m.warnings.map((w) => `⚠ ${w}`),
        ...(m.worseThanReference.length ? [`✗ significantly worse than ${result.reference} on ${m.worseThanReference.join(', ')}`] : []),
        `${m.timing.fits} fits, ${(m.timing.fitMs / 1000).toFixed(2)} s fitting; ${m.timing.updates} updates, ${(m.timing.updateMs / 1000).toFixed(2)} s updating; ${(m.timing.predictMs / 1000).toFixed(2)} s predicting`,
      ].join(' · ')] as [string, string]),
    },
    fullTables(result),
    { heading: `How protocol "${result.protocol}" scores`, collapsed: true, paragraphs: [result.description, ...notes] },
  );
  sections.push(...(extras.sections ?? []));
  return { title: `CrimeCast backtest — ${result.protocol}`, lead: extras.run?.dataset ? `${extras.run.dataset}: which forecast to use` : result.description, subtitle: result.description, generatedAt: new Date().toISOString(), sections };
}
