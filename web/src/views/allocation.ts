/** Allocation: patrol dosage per area from the latest (or chosen) forecast, as a map and the share of expected crime covered. */
import L from 'leaflet';
import { api, type Me, type Publication } from '../api.js';
import { clear, field, fmt, h, showError } from '../dom.js';
import { fit, legend, makeMap, ramp, type FC } from '../map.js';
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
    root.append(h('section', { class: 'card' }, mapEl));
    let map: L.Map | null = null, layer: L.GeoJSON | null = null, leg: L.Control | null = null;
    const draw = (plan: Plan) => {
      map ??= makeMap(mapEl);
      layer?.remove(); leg?.remove();
      const max = Math.max(1, ...plan.features.map((f) => Number(f.properties.dosage_total)));
      layer = L.geoJSON(plan, { style: (f) => ({ fillColor: ramp(Number(f?.properties.dosage_total), max), fillOpacity: Number(f?.properties.dosage_total) > 0 ? 0.85 : 0.25, weight: 0.4, color: '#888' }), onEachFeature: (f, l) => l.bindTooltip(`${f.properties.id}: dosage ${f.properties.dosage_total}, covers ${fmt(Number(f.properties.covered_plan), 2)}`) }).addTo(map);
      leg = legend(map, 'dosage', max, 1);
      fit(map, layer);
      const c = plan.crimecast;
      clear(status, `Forecast #${c.forecast} (${c.model}): ${c.budget} dosage units by ${c.method}; expected incidents covered ${fmt(c.covered, 2)} of ${fmt(c.expectedTotal, 2)} (${fmt(100 * c.coveredShare, 1)}%)`);
      mapEl.dataset.ready = 'true';
    };
    try { draw(await api<Plan>('GET', '/api/allocations/latest')); } catch { if (!status.textContent) clear(status, 'No allocation yet.'); }
  },
};
