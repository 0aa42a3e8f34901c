/**
 * When crime happens: a time-of-day × day-of-week table of the selected dataset's incidents, in the dataset's own
 * time zone, filtered by category and dates. Counted here from the incident points endpoint (analysts only, like
 * the points themselves); a capped read says how many of how many incidents it counts.
 */
import { api, type DatasetInfo, type Me } from '../api.js';
import { clear, field, h, showError } from '../dom.js';
import { ramp } from '../map.js';
import type { View } from '../main.js';
import { WEEKDAYS, weekHourCounts } from '../week-hours.js';

const LIMIT = 100_000;

export const patternsView: View = {
  title: 'Patterns', minRole: 'analyst',
  async render(root: HTMLElement, _me: Me) {
    const { datasets } = await api<{ datasets: DatasetInfo[] }>('GET', '/api/datasets');
    const status = h('p', { class: 'status', id: 'patterns-status' });
    const out = h('div', { id: 'patterns-chart' });
    if (!datasets.length) { root.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, 'The store is empty: upload incidents on the Data tab.'))); return; }
    const ds = h('select', { id: 'patterns-dataset' }, ...datasets.map((d) => h('option', { value: d.dataset }, d.dataset)));
    const from = h('input', { id: 'patterns-from', type: 'date' });
    const to = h('input', { id: 'patterns-to', type: 'date' });
    const cats = h('select', { id: 'patterns-category', multiple: true, size: 4 });
    const btn = h('button', { id: 'patterns-run', type: 'submit' }, 'Show');
    const pickDataset = () => {
      const d = datasets.find((x) => x.dataset === ds.value)!;
      from.value = d.from?.slice(0, 10) ?? ''; to.value = d.to?.slice(0, 10) ?? '';
      clear(cats, ...d.categories.map((c) => h('option', { value: c.category }, `${c.category} (${c.count})`)));
    };
    ds.onchange = () => { pickDataset(); void draw(); };
    const draw = async () => {
      const d = datasets.find((x) => x.dataset === ds.value)!;
      btn.disabled = true;
      try {
        const q = new URLSearchParams({ limit: String(LIMIT) });
        if (from.value) q.set('from', from.value);
        if (to.value) q.set('to', to.value);
        const g = await api<{ features: { properties: { time: string; category: string } }[]; crimecast: { total: number; returned: number; truncated: boolean } }>('GET', `/api/datasets/${encodeURIComponent(d.dataset)}/incidents?${q}`);
        const chosen = new Set([...cats.selectedOptions].map((o) => o.value));
        const kept = chosen.size ? g.features.filter((f) => chosen.has(f.properties.category)) : g.features;
        const w = weekHourCounts(kept.map((f) => f.properties.time), d.tz);
        renderTable(out, w.counts);
        clear(status, `${w.total} incidents${chosen.size ? ` of ${[...chosen].join(', ')}` : ', all categories'}, ${from.value || 'start'} to ${to.value || 'end'}, by local hour in ${d.tz}.`,
          g.crimecast.truncated ? ` Only the most recent ${g.crimecast.returned} of the ${g.crimecast.total} incidents in these dates are counted.` : '',
          w.skipped ? ` ${w.skipped} incidents with unreadable times left out.` : '',
          ' Each incident counts once at its recorded time (the store holds one time per incident, not a from–to window).');
        out.dataset.total = String(w.total);
      } catch (e) { showError(status, e); } finally { btn.disabled = false; }
    };
    pickDataset();
    root.append(h('form', { class: 'card', onsubmit: (e: Event) => { e.preventDefault(); void draw(); } },
      h('h3', {}, 'Time of day × day of week'),
      h('div', { class: 'row' }, field('Dataset', ds), field('From', from), field('To (inclusive)', to), field('Categories (none chosen = all)', cats), btn), status),
      h('section', { class: 'card' }, out));
    await draw();
  },
};

function renderTable(el: HTMLElement, counts: Float64Array): void {
  const max = Math.max(...counts);
  const dayTotal = (d: number) => counts.subarray(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0);
  const hourTotal = (hr: number) => WEEKDAYS.reduce((a, _, d) => a + counts[d * 24 + hr], 0);
  const cell = (v: number) => {
    const td = h('td', { title: `${v} incidents` }, v ? String(v) : '');
    td.style.background = v ? ramp(v, max) : '#fafafa';
    return td;
  };
  clear(el, h('table', { class: 'heat', id: 'patterns-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'day \\ hour'), ...Array.from({ length: 24 }, (_, hr) => h('th', {}, String(hr).padStart(2, '0'))), h('th', {}, 'total'))),
    h('tbody', {},
      ...WEEKDAYS.map((name, d) => h('tr', {}, h('th', {}, name), ...Array.from({ length: 24 }, (_, hr) => cell(counts[d * 24 + hr])), h('td', {}, String(dayTotal(d))))),
      h('tr', {}, h('th', {}, 'total'), ...Array.from({ length: 24 }, (_, hr) => h('td', {}, String(hourTotal(hr)))), h('td', {}, String(counts.reduce((a, b) => a + b, 0)))))));
}
