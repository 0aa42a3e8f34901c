/**
 * Allocation: patrol dosage per area from the latest (or chosen) forecast, as a map with a whole-number legend, the
 * patrol plan as a table (areas with dosage, their centroid and expected incidents) and the plan's downloads.
 */
import L from 'leaflet';
import { api, type Me, type Publication } from '../api.js';
import { clear, field, fmt, h, showError } from '../dom.js';
import { planDownloads } from '../downloads.js';
import { lastDay } from '../forecast-units.js';
import { classLegend, fit, fmtValue, integerRows, makeMap, ramp, type FC } from '../map.js';
import type { View } from '../main.js';

type Plan = FC & { crimecast: { forecast: number; model: string; budget: number; method: string; covered: number; expectedTotal: number; coveredShare: number } };

export const allocationView: View = {
  title: 'Allocation', minRole: 'viewer',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'allocation-status' });
    const mapEl = h('div', { class: 'map', id: 'allocation-map' });
    root.append(h('section', { class: 'card' }, h('h3', {}, 'Patrol allocation'), status));
    if (me.role !== 'viewer') {
      const { forecasts } = await api<{ forecasts: Publication[] }>('GET', '/api/forecasts');
      const pick = h('select', { id: 'alloc-forecast' }, ...forecasts.map((p) => h('option', { value: p.id }, `#${p.id} ${p.request.model} · ${p.request.dataset}`)));
      const budget = h('input', { id: 'alloc-budget', type: 'number', value: 20, min: 1, size: 5 });
      const max = h('input', { id: 'alloc-max', type: 'number', value: 4, min: 1, size: 4 });
      const model = h('input', { id: 'alloc-model', value: 'exp:0.5', size: 8 });
      const btn = h('button', { id: 'alloc-run', type: 'submit' }, 'Allocate');
      root.append(h('form', { class: 'card', onsubmit: async (e: Event) => {
        e.preventDefault();
        btn.disabled = true;
        try { draw(await api<Plan>('POST', '/api/allocations', { forecast: Number(pick.value), budget: Number(budget.value), maxPerRegion: Number(max.value), coverageModel: model.value })); } catch (err) { showError(status, err); } finally { btn.disabled = false; }
      } }, h('div', { class: 'row' }, field('Forecast', pick), field('Budget (patrol units × hours)', budget), field('Max per area', max), field('Coverage model', model), btn)));
    }
    const tableEl = h('section', { class: 'card', id: 'plan' });
    root.append(h('section', { class: 'card' }, mapEl), tableEl);
    let map: L.Map | null = null, layer: L.GeoJSON | null = null, leg: L.Control | null = null;
    const draw = (plan: Plan) => {
      map ??= makeMap(mapEl);
      layer?.remove(); leg?.remove();
      const max = Math.max(1, ...plan.features.map((f) => Number(f.properties.dosage_total)));
      layer = L.geoJSON(plan, { style: (f) => ({ fillColor: ramp(Number(f?.properties.dosage_total), max), fillOpacity: Number(f?.properties.dosage_total) > 0 ? 0.85 : 0.25, weight: 0.4, color: '#888' }), onEachFeature: (f, l) => l.bindTooltip(`${f.properties.id}: dosage ${f.properties.dosage_total}, covers ${fmt(Number(f.properties.covered_plan), 2)}`) }).addTo(map);
      leg = classLegend(map, 'Patrol dosage (patrol units × hours per area)', integerRows(max));
      fit(map, layer);
      const c = plan.crimecast;
      clear(status, `Forecast #${c.forecast} (${c.model}): ${c.budget} dosage units by ${c.method}; expected incidents covered ${fmt(c.covered, 2)} of ${fmt(c.expectedTotal, 2)} (${fmt(100 * c.coveredShare, 1)}%)`);
      mapEl.dataset.ready = 'true';
      void planTable(tableEl, plan).catch((e) => showError(tableEl, e));
    };
    try { draw(await api<Plan>('GET', '/api/allocations/latest')); } catch { if (!status.textContent) clear(status, 'No allocation yet.'); }
  },
};

/** The plan as the table a shift briefing uses: areas given patrol time, most first, with where they are and why. */
async function planTable(el: HTMLElement, plan: Plan): Promise<void> {
  // plans carry each area's label, centroid, expected incidents and period; an older saved plan does not, so those
  // come from its forecast while that is still published
  const carries = plan.features.some((f) => 'centroid_lat' in f.properties);
  const fc = carries ? null : await api<FC>('GET', `/api/forecasts/${plan.crimecast.forecast}`).catch(() => null);
  const byId = new Map((fc?.features ?? []).map((f) => [String(f.properties.id), f.properties]));
  const place = (f: FC['features'][number]) => (carries ? f.properties : byId.get(String(f.properties.id ?? f.id)));
  const first = carries ? plan.features[0]?.properties : fc?.features[0]?.properties;
  const span = first?.period_start && first.period_end ? `${String(first.period_start).slice(0, 10)} to ${lastDay(String(first.period_end))}` : null;
  const rows = plan.features.filter((f) => Number(f.properties.dosage_total) > 0)
    .sort((a, b) => Number(b.properties.dosage_total) - Number(a.properties.dosage_total) || Number(b.properties.covered_plan) - Number(a.properties.covered_plan));
  const cols = ['area', 'centroid (lat, lon)', 'dosage (patrol units × hours)', `expected incidents over the forecast${span ? ` (${span})` : ''}`, 'expected incidents covered'];
  clear(el, h('h3', {}, `Patrol plan: ${rows.length} areas`), planDownloads(),
    rows.length ? h('table', { id: 'plan-table' },
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', {}, c)))),
      h('tbody', {}, ...rows.map((f) => {
        const p = place(f);
        return h('tr', {}, h('td', {}, String(p?.label ?? f.properties.id ?? f.id)), h('td', {}, p ? `${fmt(Number(p.centroid_lat), 5)}, ${fmt(Number(p.centroid_lon), 5)}` : '–'),
          h('td', {}, String(f.properties.dosage_total)), h('td', {}, p ? fmtValue(Number(p.expected_total ?? p.expected)) : '–'), h('td', {}, fmtValue(Number(f.properties.covered_plan))));
      }))) : h('p', { class: 'muted' }, 'No area was given patrol time.'),
    carries || fc ? null : h('p', { class: 'note' }, `Forecast #${plan.crimecast.forecast} is no longer published and this plan predates plans carrying their places, so centroids and expected incidents are not shown; allocate again to get them.`));
}
