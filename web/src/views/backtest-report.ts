/**
 * The backtest as a report that decides: first what to use and why (the CLI report's rule, src/evaluate/report/
 * decision.ts, applied to the served leaderboard), then a map with its legend — the recommended model's published
 * forecast when there is one, else where incidents concentrated during the test window (Gi*) with a button that
 * publishes the recommended model's forecast.
 */
import L from 'leaflet';
import { headlineMetrics, paiMeaning, recommend, referenceName, versusSentence } from '../../../src/evaluate/report/decision.js';
import type { ProtocolResult } from '../../../src/evaluate/protocols/types.js';
import { api, type BacktestJob, type Me, type Publication } from '../api.js';
import { clear, h, showError } from '../dom.js';
import { unitsPhrase } from '../forecast-units.js';
import { classLegend, fit, fmtValue, makeMap, outlineLayer, ramp, rampRows, type FC } from '../map.js';
import { GI_CLASSES, GI_COLORS } from './forecast.js';

/** The forecast the report's button publishes: the coming week (a day of hours, a month). */
const HORIZON: Record<string, number> = { hour: 24, day: 7, week: 1, month: 1 };

/** The served leaderboard in the shape the decision rule reads (it needs names, metrics, reference and period starts). */
function asResult(j: BacktestJob): ProtocolResult {
  const lb = j.result!.leaderboard;
  return { ...lb, metricNames: Object.keys(lb.models[0]?.metrics ?? {}), testPeriodStart: Float64Array.from(j.result!.testPeriods, (s) => Date.parse(s)) } as unknown as ProtocolResult;
}

/** The recommended model's spec (the reference when nothing beats it). */
export function recommendedSpec(j: BacktestJob): string {
  return recommend(asResult(j)).model.spec;
}

export function renderSummary(el: HTMLElement, j: BacktestJob): void {
  const result = asResult(j);
  const rec = recommend(result);
  const heads = headlineMetrics(result);
  const metric = rec.decidedBy ?? heads.hotspot ?? heads.count;
  const verdict = rec.beatsReference
    ? `Use ${rec.model.spec}: it beats ${referenceName(result)} on ${rec.decidedBy}.`
    : `Use ${rec.model.spec}: no model beats ${referenceName(result)} on this data${rec.untested ? ' (too few test periods for a paired test)' : ''}.`;
  // the recommended model against the reference; when the reference stays, each other model against it
  const others = rec.beatsReference ? [rec.model] : result.models.filter((m) => m.spec !== result.reference);
  const lines = others.flatMap((m) => [heads.hotspot, heads.count].filter((x): x is string => !!x).map((x) => `${m.spec} — ${versusSentence(result, m, x)}`));
  const meaning = heads.hotspot ? paiMeaning(result, rec.model, heads.hotspot) : undefined;
  clear(el, h('h3', {}, 'Summary: what to use'),
    h('p', { class: 'verdict', id: 'backtest-verdict' }, h('strong', {}, verdict)),
    metric && lines.length ? h('ul', { class: 'tight' }, ...lines.map((l) => h('li', {}, l))) : null,
    meaning ? h('p', {}, meaning) : null,
    h('p', { class: 'muted' }, rec.rule),
    h('p', { class: 'muted' }, `${j.request.dataset}, ${j.request.units}, one ${j.request.period} per period; trained from ${j.result!.training?.from.slice(0, 10) ?? '?'}, tested on ${j.result!.leaderboard.testPeriods} periods from ${j.request.testFrom}.`));
}

export async function renderReportMap(el: HTMLElement, j: BacktestJob, me: Me): Promise<void> {
  const spec = recommendedSpec(j);
  const mapEl = h('div', { class: 'map', id: 'report-map' });
  const note = h('p', { class: 'status', id: 'report-map-note' });
  clear(el, h('h3', { id: 'report-map-title' }, 'Map'), note, mapEl);
  const map = makeMap(mapEl);
  const { forecasts } = await api<{ forecasts: Publication[] }>('GET', '/api/forecasts');
  const pub = forecasts.find((p) => p.request.dataset === j.request.dataset && p.request.model === spec && p.request.units === j.request.units);
  if (pub) {
    const fc = await api<FC>('GET', `/api/forecasts/${pub.id}`);
    const u = unitsPhrase(fc, pub.request.units);
    const max = Math.max(...fc.features.map((f) => u.value(f.properties)));
    const layer = L.geoJSON(fc, {
      style: (f) => ({ fillColor: ramp(u.value(f!.properties), max), fillOpacity: 0.75, weight: Number(f!.properties.flagged) ? 2 : 0.4, color: Number(f!.properties.flagged) ? '#000' : '#888' }),
      onEachFeature: (f, l) => l.bindTooltip(`${f.properties.id}: ${fmtValue(u.value(f.properties))} ${u.measure}; ${u.span}`),
    }).addTo(map);
    classLegend(map, `Forecast: ${u.measure}`, rampRows(max), `${u.span}; outlined: flagged; thick line: study area boundary`);
    fit(map, layer);
    outlineLayer(map, fc); // after fit: a line added to a map without a view yet cannot be drawn
    clear(el.querySelector('#report-map-title')!, `Recommended model's forecast: ${spec} (#${pub.id})`);
    clear(note, `Published ${pub.publishedAt.slice(0, 16).replace('T', ' ')} UTC; the Forecast tab has the coverage slider, layers and downloads.`);
    mapEl.dataset.ready = 'forecast';
    return;
  }
  const g = await api<FC>('GET', `/api/hotspots?dataset=${encodeURIComponent(j.request.dataset)}&units=${encodeURIComponent(j.request.units)}&method=gi*&from=${j.request.testFrom}`);
  const layer = L.geoJSON(g, {
    style: (f) => ({ fillColor: GI_COLORS[String(f?.properties.gi_bin ?? 0)], fillOpacity: f?.properties.gi_bin ? 0.7 : 0, weight: 0.3, color: '#999' }),
    onEachFeature: (f, l) => l.bindTooltip(`${f.properties.region}: Gi* z = ${fmtValue(Number(f.properties.gi_z))} (${f.properties.gi_label ?? 'n/a'})`),
  }).addTo(map);
  classLegend(map, 'Hot spots of the test window (Gi*)', GI_CLASSES.map(([b, label]) => ({ color: GI_COLORS[b] === 'transparent' ? '#fff' : GI_COLORS[b], label })), `incidents from ${j.request.testFrom} on, ${j.request.units}; thick line: study area boundary`);
  fit(map, layer);
  outlineLayer(map, g);
  clear(el.querySelector('#report-map-title')!, `Where incidents concentrated during the test window (Gi*, ${j.request.units})`);
  const publish = me.role === 'viewer' ? null : h('button', { id: 'report-publish', type: 'button', onclick: async () => {
    (publish as HTMLButtonElement).disabled = true;
    try {
      await api('POST', '/api/forecasts', { dataset: j.request.dataset, model: spec, units: j.request.units, period: j.request.period, horizon: HORIZON[j.request.period] ?? 1 });
      await renderReportMap(el, j, me);
    } catch (e) { showError(note, e); (publish as HTMLButtonElement).disabled = false; }
  } }, `Publish a forecast of ${spec}`);
  clear(note, `${spec} has no published forecast on ${j.request.units} yet. `, publish ?? 'An analyst can publish one.');
  mapEl.dataset.ready = 'hotspots';
}
