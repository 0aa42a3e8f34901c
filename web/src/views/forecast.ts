/**
 * Forecast map: the latest forecast per model as a choropleth of expected incidents per cell per period (legend and
 * tooltips say the same, with the dates), the flagged set at a coverage chosen with a slider, a Gi* hot-spot layer
 * with its own legend, clustered incident points (analysts only), a time series of the clicked area and downloads.
 */
import L from 'leaflet';
import { api, type DatasetInfo, type Me, type Publication } from '../api.js';
import { lineChart } from '../chart.js';
import { clear, field, fmt, h, showError } from '../dom.js';
import { clusterLayer } from '../cluster-layer.js';
import { forecastDownloads } from '../downloads.js';
import { flagAtShare } from '../flag-rule.js';
import { lastDay, unitsPhrase } from '../forecast-units.js';
import { classLegend, fit, fmtValue, makeMap, outlineLayer, ramp, rampRows, type FC } from '../map.js';
import type { View } from '../main.js';

/** The incident layer's most recent N (the endpoint's maximum): clustered, so this many still draw quickly. */
const INCIDENT_LIMIT = 100_000;

export const GI_COLORS: Record<string, string> = { '3': '#b2182b', '2': '#ef8a62', '1': '#fddbc7', '0': 'transparent', '-1': '#d1e5f0', '-2': '#67a9cf', '-3': '#2166ac' };
/** Gi* classes as the legend lists them (the bins of src/stats/hotspot/confidence.ts). */
export const GI_CLASSES: [string, string][] = [
  ['3', 'hot spot, 99% confidence'], ['2', 'hot spot, 95%'], ['1', 'hot spot, 90%'], ['0', 'not significant (not drawn)'],
  ['-1', 'cold spot, 90%'], ['-2', 'cold spot, 95%'], ['-3', 'cold spot, 99% confidence'],
];

export const forecastView: View = {
  title: 'Forecast', minRole: 'viewer',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'forecast-status' });
    const { forecasts } = await api<{ forecasts: Publication[] }>('GET', '/api/forecasts');
    const { datasets } = await api<{ datasets: DatasetInfo[] }>('GET', '/api/datasets');
    const pick = h('select', { id: 'forecast-pick' }, ...forecasts.map((p) => h('option', { value: p.id }, `#${p.id} ${p.request.model} · ${p.request.dataset} · ${p.request.units} · from ${p.summary.from.slice(0, 10)} (${p.source})`)));
    const cov = h('input', { id: 'coverage', type: 'range', min: 0.5, max: 20, step: 0.5, value: 5 });
    const covLabel = h('span', { id: 'coverage-label' });
    const hot = h('input', { id: 'layer-hotspots', type: 'checkbox' });
    const pts = h('input', { id: 'layer-incidents', type: 'checkbox' });
    // what the hot-spot and incident layers show: a category and a date range (the forecast itself is unchanged)
    const layerCat = h('select', { id: 'layer-category' });
    const layerFrom = h('input', { id: 'layer-from', type: 'date' });
    const layerTo = h('input', { id: 'layer-to', type: 'date' });
    const mapEl = h('div', { class: 'map', id: 'forecast-map' });
    const chartEl = h('div', { id: 'series-chart' }, h('p', { class: 'muted' }, 'Click an area on the map for its time series.'));
    const downloads = h('div', { id: 'forecast-downloads-slot' });
    const topEl = h('section', { class: 'card', id: 'top-places' });
    const publish = me.role === 'viewer' ? null : publishForm(datasets, status);
    root.append(
      h('section', { class: 'card' }, h('div', { class: 'row' },
        field('Forecast', pick), field('Area flagged (%)', cov), covLabel,
        h('label', {}, hot, ' Hot spots (Gi*)'),
        me.role === 'viewer' ? null : h('label', {}, pts, ' Incidents'),
        field('Layers: category', layerCat), field('from', layerFrom), field('to (inclusive)', layerTo)), status, downloads),
      h('div', { class: 'split' }, h('section', { class: 'card' }, mapEl), h('section', { class: 'card' }, h('h3', {}, 'Area time series'), chartEl)),
      topEl,
      publish ?? '',
    );
    if (!forecasts.length) { clear(status, 'No forecast is published yet.', me.role === 'viewer' ? ' Ask an analyst to publish one.' : ' Publish one below.'); return; }

    const map = makeMap(mapEl);
    let layer: L.GeoJSON | null = null, hotLayer: L.GeoJSON | null = null, ptsLayer: L.LayerGroup | null = null, leg: L.Control | null = null, hotLeg: L.Control | null = null;
    let fc: FC | null = null, pub: Publication | null = null, outline: L.Polyline | null = null;

    const restyle = () => {
      if (!fc || !layer) return;
      const { flagged, expectedShare, zeroSkipped } = flagAtShare(fc.features, Number(cov.value) / 100);
      clear(covLabel, `${flagged.size} areas flagged, ${fmt(100 * expectedShare, 1)}% of expected incidents`,
        zeroSkipped ? h('span', { class: 'note', id: 'coverage-zero' }, ` (${zeroSkipped} more would fill the share but expect no crime, so are not flagged)`) : null);
      layer.setStyle((f) => ({ weight: flagged.has(String(f?.properties.id)) ? 2.5 : 0.4, color: flagged.has(String(f?.properties.id)) ? '#000' : '#888' }));
    };

    const layerFilter = () => ({ category: layerCat.value, from: layerFrom.value, to: layerTo.value });
    const filterWords = () => {
      const f = layerFilter();
      return `${f.category || 'all categories'}, ${f.from || 'first incident'} to ${f.to || 'last incident'}`;
    };
    const load = async () => {
      const before = pub?.request.dataset;
      pub = forecasts.find((p) => String(p.id) === pick.value) ?? forecasts[0];
      if (pub.request.dataset !== before) {
        const d = datasets.find((x) => x.dataset === pub!.request.dataset);
        clear(layerCat, h('option', { value: '' }, 'all'), ...(d?.categories ?? []).map((c) => h('option', { value: c.category }, `${c.category} (${c.count})`)));
        layerFrom.value = ''; layerTo.value = '';
      }
      fc = await api<FC>('GET', `/api/forecasts/${pub.id}`);
      const u = unitsPhrase(fc, pub.request.units);
      const max = Math.max(...fc.features.map((f) => u.value(f.properties)));
      layer?.remove(); leg?.remove();
      layer = L.geoJSON(fc, {
        style: (f) => ({ className: 'region', fillColor: ramp(u.value(f!.properties), max), fillOpacity: 0.75 }),
        onEachFeature: (f, l) => {
          const over = u.periods > 1 ? ` (${fmtValue(u.total(f.properties))} over the ${u.periods} ${u.unit}s)` : '';
          l.bindTooltip(`${f.properties.id}: ${fmtValue(u.value(f.properties))} ${u.measure}${over}; ${u.span}; P(≥1 incident over the forecast) ${fmt(Number(f.properties.p_any), 2)}; rank ${f.properties.rank}`);
          l.on('click', () => void series(String(f.properties.id)));
        },
      }).addTo(map);
      outline?.remove();
      leg = classLegend(map, `Forecast: ${u.measure}`, rampRows(max), `${u.span}; thick line: study area boundary`);
      mapEl.dataset.measure = u.measure;
      clear(downloads, forecastDownloads(pub.id));
      topPlaces(topEl, fc, u.span, u.unit, me.role !== 'viewer' && (pub.explainedPlaces ?? 0) > 0 ? pub.id : null);
      fit(map, layer);
      outline = outlineLayer(map, fc); // after fit: a line added to a map without a view yet cannot be drawn
      restyle();
      clear(status, `${pub.request.model} on ${pub.request.dataset}: ${pub.summary.regions} areas, ${fmt(pub.summary.expectedTotal, 1)} incidents expected ${pub.summary.from.slice(0, 10)} to ${lastDay(pub.summary.to)}; published ${pub.publishedAt.slice(0, 16).replace('T', ' ')} UTC`);
      // the forecast's own sanity flags (total far from the recent rate, too few areas with any expected crime)
      const warnings = (fc as { crimecast?: { warnings?: string[] } }).crimecast?.warnings ?? [];
      if (warnings.length) status.append(h('ul', { class: 'tight', id: 'forecast-warnings' }, ...warnings.map((w) => h('li', { class: 'warning' }, `⚠ ${w}`))));
      if (hot.checked) await hotspots();
      if (pts.checked) await incidents();
      mapEl.dataset.ready = 'true';
    };

    const series = async (region: string) => {
      if (!pub) return;
      try {
        const s = await api<{ observed: { start: string; count: number | null }[]; predicted: { start: string; expected: number }[]; disclosure?: { rule: string } }>('GET', `/api/forecasts/${pub.id}/series?region=${encodeURIComponent(region)}&periods=90`);
        const x = [...s.observed.map((o) => Date.parse(o.start) / 1000), ...s.predicted.map((p) => Date.parse(p.start) / 1000)];
        const n = s.observed.length;
        chartEl.replaceChildren();
        chartEl.append(h('p', {}, `Area ${region}: observed per ${pub.request.period} and forecast`));
        // viewers get observed counts summed over the minimum window, small sums withheld: say so under the chart
        if (s.disclosure) chartEl.append(h('p', { class: 'note' }, `Observed: ${s.disclosure.rule}.`));
        const div = h('div'); chartEl.append(div);
        lineChart(div, { x, time: true, xLabel: 'period', yLabel: 'incidents', height: 260, series: [
          { label: 'observed', y: [...s.observed.map((o) => o.count), ...s.predicted.map(() => null)] },
          { label: 'forecast', y: [...s.observed.map((_, i) => (i === n - 1 ? s.observed[i].count : null)), ...s.predicted.map((p) => p.expected)], dash: true },
        ] });
        const like = h('div', { id: 'similar-areas' });
        chartEl.append(like);
        await similar(like, region);
      } catch (e) { showError(chartEl, e); }
    };

    // the areas whose observed series look most like this one's (the server's DTW search over the kept history)
    const similar = async (el: HTMLElement, region: string) => {
      if (!pub) return;
      try {
        const r = await api<{ how: string; periods: number; similar: { rank: number; region: string; distance: number; correlation: number | null }[] }>('GET', `/api/forecasts/${pub.id}/similar?region=${encodeURIComponent(region)}&top=5`);
        clear(el, h('p', {}, `Areas with the most similar series (last ${r.periods} ${pub.request.period}s):`),
          h('ol', { class: 'tight' }, ...r.similar.map((x) => h('li', {}, h('button', { type: 'button', class: 'link-dark', onclick: () => void series(x.region) }, x.region),
            ` distance ${fmt(x.distance, 2)}${x.correlation === null ? '' : `, correlation ${fmt(x.correlation, 2)}`}`))),
          h('p', { class: 'note' }, r.how));
      } catch (e) { showError(el, e); }
    };

    // a newer request for a layer supersedes one still in flight (filters changed twice): only the last one draws
    let hotGen = 0, ptsGen = 0;
    const hotspots = async () => {
      const gen = ++hotGen;
      hotLayer?.remove(); hotLayer = null; hotLeg?.remove(); hotLeg = null;
      if (!hot.checked || !pub) return;
      const q = new URLSearchParams({ dataset: pub.request.dataset, units: pub.request.units, method: 'gi*' });
      const f = layerFilter();
      if (f.category) q.set('category', f.category);
      if (f.from) q.set('from', f.from);
      if (f.to) q.set('to', f.to);
      const g = await api<FC>('GET', `/api/hotspots?${q}`);
      if (gen !== hotGen) return;
      hotLayer = L.geoJSON(g, { style: (f) => ({ fillColor: GI_COLORS[String(f?.properties.gi_bin ?? 0)], fillOpacity: f?.properties.gi_bin ? 0.6 : 0, weight: 0 }), onEachFeature: (f, l) => { l.bindTooltip(`Gi* z = ${fmt(Number(f.properties.gi_z), 2)} (${f.properties.gi_label ?? 'n/a'})`); l.on('click', () => void series(String(f.properties.region))); } }).addTo(map);
      hotLeg = classLegend(map, `Hot spots (Gi*): ${filterWords()}`, GI_CLASSES.filter(([b]) => b !== '0').map(([b, label]) => ({ color: GI_COLORS[b], label })), 'outlined areas: flagged by the forecast', 'topright');
      mapEl.dataset.hotspots = String(g.features.filter((f) => Number(f.properties.gi_bin) > 0).length);
    };

    const incidents = async () => {
      const gen = ++ptsGen;
      ptsLayer?.remove(); ptsLayer = null;
      if (!pts.checked || !pub) return;
      document.getElementById('incidents-truncated')?.remove();
      const f = layerFilter();
      const q = new URLSearchParams({ limit: String(INCIDENT_LIMIT) });
      if (f.from) q.set('from', f.from);
      if (f.to) q.set('to', f.to);
      const g = await api<FC & { crimecast: { returned: number; total: number; truncated: boolean } }>('GET', `/api/datasets/${encodeURIComponent(pub.request.dataset)}/incidents?${q}`);
      if (gen !== ptsGen) return;
      // the endpoint filters by date; the category is picked here
      const kept = f.category ? g.features.filter((x) => x.properties.category === f.category) : g.features;
      ptsLayer = clusterLayer(map, kept.map((x) => (x.geometry as GeoJSON.Point).coordinates), (i) => `${kept[i].properties.category} ${String(kept[i].properties.time).slice(0, 16).replace('T', ' ')} UTC`, mapEl);
      mapEl.dataset.incidents = String(kept.length);
      if (g.crimecast.truncated) status.append(h('span', { class: 'note', id: 'incidents-truncated' }, ` Incident layer: the most recent ${g.crimecast.returned} of ${g.crimecast.total} incidents.`));
    };

    pick.onchange = () => void load().catch((e) => showError(status, e));
    cov.oninput = restyle;
    hot.onchange = () => void hotspots().catch((e) => showError(status, e));
    pts.onchange = () => void incidents().catch((e) => showError(status, e));
    layerCat.onchange = layerFrom.onchange = layerTo.onchange = () => void Promise.all([hotspots(), incidents()]).catch((e) => showError(status, e));
    await load();
  },
};

function publishForm(datasets: DatasetInfo[], status: HTMLElement): HTMLElement {
  const ds = h('select', { id: 'publish-dataset' }, ...datasets.map((d) => h('option', { value: d.dataset }, d.dataset)));
  const model = h('input', { id: 'publish-model', value: 'moving-average:window=28', size: 30 });
  const units = h('input', { id: 'publish-units', value: 'grid:500', size: 10 });
  const period = h('select', { id: 'publish-period' }, ...['day', 'week', 'hour', 'month'].map((p) => h('option', { value: p }, p)));
  const horizon = h('input', { id: 'publish-horizon', type: 'number', value: 7, min: 1, size: 4 });
  // blank: publish the forecast as fitted; a number: publish under ε-differential privacy (noisy values, history withheld)
  const dp = h('input', { id: 'publish-dp-epsilon', type: 'number', min: 0.01, max: 20, step: 0.01, placeholder: 'none', size: 5, title: 'ε-differential privacy for a public release: smaller = more private, noisier (e.g. 1)' });
  const btn = h('button', { id: 'publish-run', type: 'submit' }, 'Fit and publish');
  return h('form', { class: 'card', onsubmit: async (e: Event) => {
    e.preventDefault();
    btn.disabled = true;
    try {
      await api('POST', '/api/forecasts', { dataset: ds.value, model: model.value, units: units.value, period: period.value, horizon: Number(horizon.value), ...(dp.value ? { dpEpsilon: Number(dp.value) } : {}) });
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) { showError(status, err); } finally { btn.disabled = false; }
  } }, h('h3', {}, 'Publish a forecast'), h('div', { class: 'row' }, field('Dataset', ds), field('Model', model), field('Units', units), field('Period', period), field('Horizon (periods)', horizon), field('Privacy ε (public release)', dp), btn));
}

interface TopPlace { rank: number; id: string; label: string; centroid_lat: number; centroid_lon: number; expected_total: number; expected_per_period: number; share_of_expected: number; flagged: number }

interface CellExplanation { region: string; category: string; margin: number; base: number; scale: string; contributions: { feature: string; value: number | null; shap: number }[] }

/** "Why is this place high": the server's TreeSHAP contributions, per category, largest first. */
async function showWhy(el: HTMLElement, forecastId: number, place: TopPlace): Promise<void> {
  const r = await api<{ note: string; cells: CellExplanation[] }>('GET', `/api/forecasts/${forecastId}/explain?region=${encodeURIComponent(place.id)}`);
  const log = r.cells[0]?.scale === 'log-rate';
  clear(el, h('h4', {}, `Why ${place.label} is ranked ${place.rank}`), h('p', { class: 'muted' }, r.note),
    ...r.cells.map((x) => h('div', {}, h('strong', {}, x.category), log ? ` — typical place ${fmtValue(Math.exp(x.base))}, this place ${fmtValue(Math.exp(x.margin))} expected (each factor multiplies):` : ` — base ${fmt(x.base, 3)}, this place ${fmt(x.margin, 3)} (${x.scale}):`,
      h('ul', { class: 'tight' }, ...x.contributions.map((c) => h('li', {}, `${c.feature} = ${c.value === null ? 'missing' : fmt(c.value, 2)}: ${log ? `×${fmt(Math.exp(c.shap), 2)}` : `${c.shap >= 0 ? '+' : ''}${fmt(c.shap, 3)}`}`))))));
}

/** The forecast's highest-risk places (the server's list, as in the "top places" download), for a briefing. */
function topPlaces(el: HTMLElement, fc: FC, span: string, unit: string, explainFor: number | null): void {
  const top = ((fc as { crimecast?: { topPlaces?: TopPlace[] } }).crimecast?.topPlaces ?? []).slice(0, 10);
  if (!top.length) { clear(el); return; }
  const why = h('div', { id: 'top-places-why' });
  clear(el, h('h3', {}, `Top ${top.length} places (${span.replace(/^average over /, '')})`),
    h('table', { id: 'top-places-table' },
      h('thead', {}, h('tr', {}, ...['rank', 'area', 'centroid (lat, lon)', 'expected incidents, whole forecast', `per ${unit}`, 'share of all expected', 'flagged', ...(explainFor !== null ? ['why'] : [])].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...top.map((t) => h('tr', {}, h('td', {}, String(t.rank)), h('td', {}, t.label), h('td', {}, `${fmt(t.centroid_lat, 5)}, ${fmt(t.centroid_lon, 5)}`),
        h('td', {}, fmtValue(t.expected_total)), h('td', {}, fmtValue(t.expected_per_period)), h('td', {}, `${fmt(100 * t.share_of_expected, 1)}%`), h('td', {}, t.flagged ? 'yes' : 'no'),
        explainFor !== null ? h('td', {}, h('button', { type: 'button', class: 'why', onclick: () => void showWhy(why, explainFor, t).catch((e) => showError(why, e)) }, 'why?')) : null)))),
    why);
}
