/**
 * A protocol's result as a report: one table per metric (value, 95% bootstrap CI, paired difference to the
 * reference and its p-value, the winner marked), a "who wins" summary, hit-rate-vs-coverage curves and a map
 * of the top-risk regions of the last test period.
 */
import type { ProtocolResult } from '../protocols/types.js';
import type { SpatialUnits } from '../../space/units.js';
import { coverageGrid, emptyHotspotSums, hotspotMetricsFromSums, hotspotPeriod, sumCategories, flaggedCount, flagOrder } from '../metrics/hotspot.js';
import type { ReportChart, ReportInput, ReportMap, ReportSection, ReportTable } from './types.js';
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

export function lastPeriodMap(result: ProtocolResult, units: SpatialUnits, model = 0, coverage = 0.05): ReportMap {
  const m = result.models[model];
  const risk = m.lastPeriodRisk;
  const order = flagOrder(risk, units.area);
  const k = flaggedCount(order, coverage, units.area);
  const flagged = new Set(Array.from(order.subarray(0, k)));
  return {
    title: `${m.spec}: expected count, last test period (top ${(coverage * 100).toFixed(0)}% of area outlined)`,
    valueLabel: 'expected',
    features: Array.from({ length: units.n }, (_, r) => ({ id: units.ids[r], geometry: units.geometry(r), value: risk[r], flagged: flagged.has(r) })),
  };
}

export function protocolReport(result: ProtocolResult, extras: ProtocolReportExtras = {}): ReportInput {
  const tables = metricTables(result);
  const win = winners(result);
  const sections: ReportSection[] = [
    {
      heading: `Protocol ${result.protocol}`,
      paragraphs: [result.description, ...result.notes],
      facts: [
        ['categories', result.categories.join(', ')],
        ['regions', String(result.regionIds.length)],
        ['test periods', String(result.testPeriodStart.length)],
        ['reference model (paired tests)', result.reference],
        ['confidence intervals', '95% percentile bootstrap over test periods; Δ = model − reference, paired bootstrap p-value'],
      ],
    },
    {
      heading: 'What each model did',
      paragraphs: ['Fits and updates as the engine made them, sub-models and fallbacks with their share of the data, and rows to read with care (⚠) or that lose significantly to the reference (✗).'],
      facts: result.models.map((m) => [m.spec, [
        fitSummaryLine(m.fitted),
        ...m.warnings.map((w) => `⚠ ${w}`),
        ...(m.worseThanReference.length ? [`✗ significantly worse than ${result.reference} on ${m.worseThanReference.join(', ')}`] : []),
      ].join(' · ')] as [string, string]),
    },
    {
      heading: 'Who wins each metric',
      facts: win.map((w) => [w.metric, `${w.winner}${w.significant ? ' (significant)' : ' (not significant)'} — ${w.note}`] as [string, string]),
    },
    { heading: 'Leaderboard', tables },
    {
      heading: 'Cost',
      facts: result.models.map((m) => [m.spec, `${m.timing.fits} fits, ${(m.timing.fitMs / 1000).toFixed(2)} s fitting; ${m.timing.updates} updates, ${(m.timing.updateMs / 1000).toFixed(2)} s updating; ${(m.timing.predictMs / 1000).toFixed(2)} s predicting`] as [string, string]),
    },
  ];
  const figs: ReportSection = { heading: 'Hot spots', charts: [], maps: [] };
  if (extras.observed) figs.charts!.push(hitRateCurves(result, extras.observed, extras.area ?? extras.units?.area));
  if (extras.units) figs.maps!.push(lastPeriodMap(result, extras.units));
  if (figs.charts!.length || figs.maps!.length) sections.push(figs);
  sections.push(...(extras.sections ?? []));
  return { title: `CrimeCast leaderboard — ${result.protocol}`, subtitle: result.description, generatedAt: new Date().toISOString(), sections };
}
