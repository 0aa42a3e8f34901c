/**
 * Fairness audit and model card of a backtested model. Group populations per area are pasted as CSV
 * (region,GroupA,GroupB,…): the server never guesses demographics. A template with the backtest's region ids and
 * their centroids is offered for download, since the ids are CrimeCast's own.
 */
import L from 'leaflet';
import { api, type BacktestJob, type Me } from '../api.js';
import { clear, field, fmt, h, showError } from '../dom.js';
import { classLegend, fit, makeMap, ramp, rampRows, type FC } from '../map.js';
import { parseGroupsCsv, regionTemplateCsv } from '../region-template.js';
import type { View } from '../main.js';

interface CI { estimate: number; lo: number; hi: number }
interface AuditOut {
  backtest: string; model: string; coverage: number; regionIds: string[];
  audit: { periods: number; overall: Record<string, CI>; groups: (Record<string, CI> & { name: string; family: string; population: number; populationShare: number })[]; caveats: string[]; regionExposure: number[] };
  modelCard: { model: { spec: string; description?: string }; data: { trainingWindow: { from: string; to: string }; spatialUnit: { spec: string; regions: number } }; intendedUse: string[]; outOfScope: string[]; evaluation: { metric: string; value: { estimate: number | null; lo: number | null; hi: number | null } }[]; limitations: string[]; ethicalConsiderations: string[] };
}

const ci = (c: CI | undefined, d = 3) => (c ? `${fmt(c.estimate, d)} [${fmt(c.lo, d)}, ${fmt(c.hi, d)}]` : '–');

export const auditView: View = {
  title: 'Audit', minRole: 'viewer',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'audit-status' });
    const out = h('div', { id: 'audit-out' });
    root.append(h('section', { class: 'card' }, h('h3', {}, 'Fairness audit and model card'), status));
    if (me.role !== 'viewer') root.append(await auditForm(status, (a) => renderAudit(out, a)));
    root.append(out);
    try { renderAudit(out, await api<AuditOut>('GET', '/api/audits/latest')); } catch { clear(status, 'No audit yet.'); }
  },
};

async function auditForm(status: HTMLElement, done: (a: AuditOut) => void): Promise<HTMLElement> {
  const { backtests } = await api<{ backtests: BacktestJob[] }>('GET', '/api/backtests');
  const ok = backtests.filter((b) => b.status === 'done');
  const bt = h('select', { id: 'audit-backtest' }, ...ok.map((b) => h('option', { value: b.id }, `${b.id} · ${b.request.models.join(', ')}`)));
  const model = h('select', { id: 'audit-model' });
  const setModels = () => clear(model, ...(ok.find((b) => b.id === bt.value)?.request.models ?? []).map((m) => h('option', { value: m }, m)));
  bt.onchange = setModels;
  setModels();
  const cov = h('input', { id: 'audit-coverage', type: 'number', value: 10, min: 0.5, max: 100, step: 0.5, size: 5 });
  const csv = h('textarea', { id: 'audit-groups', rows: 5, cols: 50, placeholder: 'region,GroupA,GroupB\nr0c0,1200,300\n…' });
  const btn = h('button', { id: 'audit-run', type: 'submit' }, 'Run audit');
  const template = h('button', { id: 'audit-template', type: 'button', class: 'link-dark', onclick: async () => {
    const b = ok.find((x) => x.id === bt.value);
    if (!b) return;
    try {
      const units = await api<FC>('GET', `/api/units?dataset=${encodeURIComponent(b.request.dataset)}&units=${encodeURIComponent(b.request.units)}`);
      const a = h('a', { href: URL.createObjectURL(new Blob([regionTemplateCsv(units.features as never)], { type: 'text/csv' })), download: `regions-${b.request.dataset}-${b.request.units.replace(/[^\w.-]+/g, '_')}.csv` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) { showError(status, err); }
  } }, 'Region ids (CSV template)');
  return h('form', { class: 'card', onsubmit: async (e: Event) => {
    e.preventDefault();
    btn.disabled = true;
    try {
      const groups = parseGroupsCsv(csv.value);
      done(await api<AuditOut>('POST', '/api/audits', { backtest: bt.value, model: model.value, coverage: Number(cov.value) / 100, groups }));
      clear(status, 'Audit done.');
    } catch (err) { showError(status, err); } finally { btn.disabled = false; }
  } }, h('div', { class: 'row' }, field('Backtest', bt), field('Model', model), field('Area flagged (%)', cov), field('Group populations per area (CSV)', csv), template, btn),
    h('p', { class: 'muted' }, 'The template lists every area of the chosen backtest with its centroid; fill in one column per group (empty = 0) and paste it here.'));
}

function renderAudit(el: HTMLElement, a: AuditOut): void {
  const au = a.audit, card = a.modelCard;
  const metrics = ['populationShare', 'flagShare', 'crimeShare', 'representationRatio', 'exposureRatio', 'hitRate', 'pai', 'calibration'];
  const groups = h('table', { id: 'audit-groups-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'group'), ...metrics.map((m) => h('th', {}, m)))),
    h('tbody', {}, ...au.groups.map((g) => h('tr', {}, h('td', {}, g.name), ...metrics.map((m) => h('td', {}, m === 'populationShare' ? fmt(g.populationShare, 3) : ci(g[m])))))));
  const overall = h('ul', { class: 'tight' }, ...Object.entries(au.overall).map(([k, v]) => h('li', {}, `${k}: ${ci(v)}`)));
  const mapEl = h('div', { class: 'map', id: 'audit-map', style: 'height:360px' });
  clear(el,
    h('section', { class: 'card' }, h('h3', {}, `Audit of ${a.model} (backtest ${a.backtest}), ${fmt(100 * a.coverage, 1)}% of the area flagged, ${au.periods} periods`), overall, groups,
      au.caveats.length ? h('ul', { class: 'tight muted' }, ...au.caveats.map((c) => h('li', {}, c))) : null),
    h('div', { class: 'split' },
      h('section', { class: 'card' }, h('h3', {}, 'Share of periods each area was flagged'), mapEl),
      h('section', { class: 'card', id: 'model-card' }, h('h3', {}, `Model card: ${card.model.spec}`), h('p', {}, card.model.description ?? ''),
        h('p', { class: 'muted' }, `trained ${card.data.trainingWindow.from.slice(0, 10)} – ${card.data.trainingWindow.to.slice(0, 10)}, ${card.data.spatialUnit.spec} (${card.data.spatialUnit.regions} areas)`),
        h('h4', {}, 'Evaluation'), h('ul', { class: 'tight' }, ...card.evaluation.map((e) => h('li', {}, `${e.metric}: ${fmt(e.value.estimate)} [${fmt(e.value.lo)}, ${fmt(e.value.hi)}]`))),
        h('h4', {}, 'Intended use'), h('ul', { class: 'tight' }, ...card.intendedUse.map((s) => h('li', {}, s))),
        h('h4', {}, 'Out of scope'), h('ul', { class: 'tight' }, ...card.outOfScope.map((s) => h('li', {}, s))),
        h('h4', {}, 'Limitations'), h('ul', { class: 'tight' }, ...card.limitations.map((s) => h('li', {}, s))))));
  void exposureMap(mapEl, a).catch(() => clear(mapEl, 'map unavailable'));
}

async function exposureMap(el: HTMLElement, a: AuditOut): Promise<void> {
  const { backtests } = await api<{ backtests: BacktestJob[] }>('GET', '/api/backtests');
  const b = backtests.find((x) => x.id === a.backtest);
  if (!b) return;
  const units = await api<FC>('GET', `/api/units?dataset=${encodeURIComponent(b.request.dataset)}&units=${encodeURIComponent(b.request.units)}`);
  const exposure = new Map(a.regionIds.map((id, i) => [id, a.audit.regionExposure[i]]));
  const map = makeMap(el);
  const layer = L.geoJSON(units, { style: (f) => ({ fillColor: ramp(exposure.get(String(f?.properties.id)) ?? 0, 1), fillOpacity: 0.75, weight: 0.4, color: '#888' }), onEachFeature: (f, l) => l.bindTooltip(`${f.properties.id}: flagged ${fmt(100 * (exposure.get(String(f.properties.id)) ?? 0), 0)}% of periods`) }).addTo(map);
  classLegend(map, 'Share of test periods flagged', rampRows(1, (v) => `${Math.round(100 * v)}%`));
  fit(map, layer);
}
