/** Admin: users and API keys, the retraining schedule, the incident-level access log. */
import { api, type DatasetInfo, type Me } from '../api.js';
import { clear, field, h, showError } from '../dom.js';
import type { View } from '../main.js';

interface User { name: string; role: string; created: string; keys: { id: string; label: string; created: string }[] }
interface Run { at: string; outcome: string; seconds: number; publication?: number; error?: string }
interface ScheduleStatus { schedule: { intervalMs: number; request: { dataset: string; model: string; units: string } } | null; nextRunAt: string | null; runs: Run[] }

export const adminView: View = {
  title: 'Admin', minRole: 'admin',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'admin-status' });
    const users = h('div', { id: 'users' }), sched = h('div', { id: 'schedule' }), log = h('div', { id: 'access-log' });
    const refresh = async () => {
      const u = await api<{ users: User[] }>('GET', '/api/users');
      clear(users, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'user'), h('th', {}, 'role'), h('th', {}, 'API keys'), h('th', {}, ''))),
        h('tbody', {}, ...u.users.map((x) => h('tr', {}, h('td', {}, x.name), h('td', {}, x.role), h('td', {}, x.keys.map((k) => `${k.label} (${k.id})`).join(', ') || '–'),
          h('td', {}, h('button', { class: 'small', onclick: async () => {
            try { const k = await api<{ key: string }>('POST', `/api/users/${encodeURIComponent(x.name)}/keys`, { label: `key ${new Date().toISOString().slice(0, 10)}` }); clear(status, 'New key (shown once): ', h('span', { class: 'key', id: 'new-key' }, k.key)); await refresh(); } catch (e) { showError(status, e); }
          } }, 'New API key'), ' ', x.name === me.name ? null : h('button', { class: 'small', onclick: async () => { try { await api('DELETE', `/api/users/${encodeURIComponent(x.name)}`); await refresh(); } catch (e) { showError(status, e); } } }, 'Remove')))))));
      const s = await api<ScheduleStatus>('GET', '/api/schedule');
      // the form shows the active schedule, so Save never silently changes what runs
      if (s.schedule) {
        every.value = String(s.schedule.intervalMs / 60000);
        model.value = s.schedule.request.model;
        units.value = s.schedule.request.units;
        if ([...ds.options].some((o) => o.value === s.schedule!.request.dataset)) ds.value = s.schedule.request.dataset;
      }
      clear(sched, s.schedule ? h('p', {}, `Every ${s.schedule.intervalMs / 60000} min: ${s.schedule.request.model} on ${s.schedule.request.dataset} (${s.schedule.request.units}); next run ${s.nextRunAt?.slice(0, 16).replace('T', ' ') ?? '–'} UTC`) : h('p', { class: 'muted' }, 'No retraining schedule.'),
        s.runs.length ? h('table', {}, h('thead', {}, h('tr', {}, ...['at', 'outcome', 'seconds', 'forecast', 'error'].map((c) => h('th', {}, c)))),
          h('tbody', {}, ...s.runs.map((r) => h('tr', {}, h('td', {}, r.at.slice(0, 19)), h('td', { class: r.outcome === 'failed' ? 'error' : '' }, r.outcome), h('td', {}, r.seconds.toFixed(2)), h('td', {}, r.publication ?? '–'), h('td', {}, r.error ?? ''))))) : null);
      const l = await api<{ entries: { time: string; user: string; role: string; action: string; dataset?: string; records?: number }[] }>('GET', '/api/access-log?limit=50');
      clear(log, l.entries.length ? h('table', {}, h('thead', {}, h('tr', {}, ...['time', 'user', 'role', 'action', 'dataset', 'records'].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...l.entries.map((e) => h('tr', {}, h('td', {}, e.time.slice(0, 19)), h('td', {}, e.user), h('td', {}, e.role), h('td', {}, e.action), h('td', {}, e.dataset ?? ''), h('td', {}, e.records ?? ''))))) : h('p', { class: 'muted' }, 'No incident-level access yet.'));
    };

    const name = h('input', { id: 'new-user', size: 12 }), pw = h('input', { id: 'new-password', type: 'password', size: 14 });
    const role = h('select', { id: 'new-role' }, ...['viewer', 'analyst', 'admin'].map((r) => h('option', { value: r }, r)));
    const userForm = h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      try { await api('POST', '/api/users', { name: name.value, password: pw.value, role: role.value }); clear(status, `created ${name.value}`); await refresh(); } catch (err) { showError(status, err); }
    } }, h('div', { class: 'row' }, field('Name', name), field('Password (10+ characters)', pw), field('Role', role), h('button', { type: 'submit', id: 'new-user-run' }, 'Create user')));

    const { datasets } = await api<{ datasets: DatasetInfo[] }>('GET', '/api/datasets');
    const ds = h('select', { id: 'sched-dataset' }, ...datasets.map((d) => h('option', { value: d.dataset }, d.dataset)));
    const model = h('input', { id: 'sched-model', value: 'moving-average:window=28', size: 28 });
    const units = h('input', { id: 'sched-units', value: 'grid:500', size: 10 });
    const every = h('input', { id: 'sched-every', type: 'number', value: 60, min: 1, size: 6 });
    const schedForm = h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      try { await api('PUT', '/api/schedule', { intervalMinutes: Number(every.value), forecast: { dataset: ds.value, model: model.value, units: units.value } }); await refresh(); } catch (err) { showError(status, err); }
    } }, h('div', { class: 'row' }, field('Dataset', ds), field('Model', model), field('Units', units), field('Every (minutes)', every), h('button', { type: 'submit' }, 'Save schedule'),
      h('button', { type: 'button', onclick: async () => { try { await api('POST', '/api/schedule/run'); await refresh(); } catch (err) { showError(status, err); } } }, 'Retrain now'),
      h('button', { type: 'button', onclick: async () => { try { await api('PUT', '/api/schedule', { intervalMinutes: null }); await refresh(); } catch (err) { showError(status, err); } } }, 'Turn off')));

    root.append(h('section', { class: 'card' }, h('h3', {}, 'Users and API keys'), users, userForm, status),
      h('section', { class: 'card' }, h('h3', {}, 'Scheduled retraining'), schedForm, sched),
      h('section', { class: 'card' }, h('h3', {}, 'Incident-level access log'), log));
    await refresh();
  },
};
