/** Datasets: what is in the store, and uploading a file (analysts). */
import { api, type DatasetInfo, type Me } from '../api.js';
import { clear, field, h, showError } from '../dom.js';
import type { View } from '../main.js';

export const dataView: View = {
  title: 'Data', minRole: 'viewer',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'upload-status' });
    const table = h('div', { id: 'datasets' });
    const refresh = async () => {
      const { datasets } = await api<{ datasets: DatasetInfo[] }>('GET', '/api/datasets');
      clear(table, datasets.length ? h('table', {},
        h('thead', {}, h('tr', {}, ...['dataset', 'incidents', 'from', 'to', 'zone', 'categories', 'rejected rows', 'files'].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...datasets.map((d) => h('tr', {}, h('td', {}, d.dataset), h('td', {}, d.incidents), h('td', {}, d.from?.slice(0, 10) ?? '–'), h('td', {}, d.to?.slice(0, 10) ?? '–'), h('td', {}, d.tz),
          h('td', {}, d.categories.slice(0, 6).map((c) => `${c.category} ${c.count}`).join(', ')), h('td', {}, d.rejects), h('td', {}, d.files.length))))) : h('p', { class: 'muted' }, 'The store is empty.'));
    };
    root.append(h('section', { class: 'card' }, h('h3', {}, 'Datasets'), table));
    if (me.role !== 'viewer') {
      const file = h('input', { id: 'upload-file', type: 'file', accept: '.csv,.tsv,.geojson,.json,.parquet', required: true });
      const name = h('input', { id: 'upload-dataset', value: 'incidents', required: true, size: 14 });
      const preset = h('input', { id: 'upload-preset', placeholder: 'e.g. chicago', size: 10 });
      const cols = { timeCol: 'time', latCol: 'lat', lonCol: 'lon', categoryCol: 'category', idCol: 'id' } as Record<string, string>;
      const colInputs = Object.entries(cols).map(([k, v]) => [k, h('input', { id: `upload-${k}`, value: v, size: 9 })] as const);
      // the zone the file's local times were written in: this browser's by default (shown, so it can be changed)
      const tz = h('input', { id: 'upload-tz', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', size: 16 });
      const btn = h('button', { id: 'upload-run', type: 'submit' }, 'Upload');
      root.append(h('form', { class: 'card', onsubmit: async (e: Event) => {
        e.preventDefault();
        const f = file.files?.[0];
        if (!f) return;
        btn.disabled = true;
        const fd = new FormData();
        fd.append('file', f);
        if (preset.value) fd.append('preset', preset.value);
        else { for (const [k, input] of colInputs) if (input.value) fd.append(k, input.value); fd.append('tz', tz.value); }
        try {
          const s = await api<{ rows: number; ingested: number; duplicates: number; rejected: number; rejectsByReason: Record<string, number> }>('POST', `/api/datasets/${encodeURIComponent(name.value)}/upload`, fd);
          clear(status, `${s.rows} rows: ${s.ingested} new, ${s.duplicates} already stored, ${s.rejected} rejected` + (s.rejected ? ` (${Object.entries(s.rejectsByReason).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''));
          await refresh();
        } catch (err) { showError(status, err); } finally { btn.disabled = false; }
      } }, h('h3', {}, 'Upload incidents'), h('p', { class: 'muted' }, 'CSV, GeoJSON or Parquet. Give a preset, or the column names and time zone. Re-uploading the same rows adds nothing.'),
      h('div', { class: 'row' }, field('File', file), field('Dataset', name), field('Preset', preset), ...colInputs.map(([k, input]) => field(k, input)), field('Time zone of the file (default: this browser)', tz), btn), status));
    }
    await refresh();
  },
};
