/** The CrimeCast dashboard: sign-in, then one view per tab. */
import 'leaflet/dist/leaflet.css';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { api, ApiError, type Me } from './api.js';
import { clear, h, showError } from './dom.js';
import { setTileUrl } from './map.js';
import { forecastView } from './views/forecast.js';
import { backtestView } from './views/backtest.js';
import { auditView } from './views/audit.js';
import { allocationView } from './views/allocation.js';
import { dataView } from './views/data.js';
import { patternsView } from './views/patterns.js';
import { adminView } from './views/admin.js';

export interface View { title: string; minRole: Me['role']; render(root: HTMLElement, me: Me): Promise<void> | void }

const VIEWS: Record<string, View> = {
  forecast: forecastView, patterns: patternsView, backtests: backtestView, audit: auditView, allocation: allocationView, data: dataView, admin: adminView,
};
const RANK = { viewer: 0, analyst: 1, admin: 2 };

const app = document.getElementById('app')!;

/**
 * Whether this browser signed in here and has not signed out: only then is /api/me asked on load, so a signed-out
 * visit shows the form without a 401 in the console. (The session cookie is httpOnly, so the page cannot see it.)
 */
const SIGNED_IN = 'crimecast.signedIn';

async function start(): Promise<void> {
  const cfg = await api<{ tiles: string | null }>('GET', '/api/config').catch(() => ({ tiles: null }));
  setTileUrl(cfg.tiles);
  if (!localStorage.getItem(SIGNED_IN)) { login(); return; }
  try {
    const me = await api<Me>('GET', '/api/me');
    shell(me);
  } catch (e) {
    // an expired session, or a restarted server (sessions live in its memory)
    if (e instanceof ApiError && e.status === 401) { localStorage.removeItem(SIGNED_IN); login(); } else showError(app, e);
  }
}

function login(): void {
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'status', id: 'login-status' });
  const form = h('form', { class: 'login card', onsubmit: async (e: Event) => {
    e.preventDefault();
    try {
      await api('POST', '/api/session', { user: user.value, password: pass.value });
      localStorage.setItem(SIGNED_IN, '1');
      location.hash = '#forecast';
      await start();
    } catch (err) { showError(status, err); }
  } },
  h('h1', {}, 'CrimeCast'), h('p', { class: 'muted' }, 'Sign in to see forecasts, backtests and audits.'),
  h('label', { class: 'field' }, h('span', {}, 'User'), user), h('label', { class: 'field' }, h('span', {}, 'Password'), pass),
  h('button', { type: 'submit', id: 'login-submit' }, 'Sign in'), status);
  clear(app, form);
}

function shell(me: Me): void {
  const main = h('main', { id: 'view' });
  const nav = h('nav', {}, ...Object.entries(VIEWS).filter(([, v]) => RANK[me.role] >= RANK[v.minRole])
    .map(([id, v]) => h('a', { href: `#${id}`, 'data-view': id }, v.title)));
  const header = h('header', {}, h('strong', { class: 'brand' }, 'CrimeCast'), nav,
    h('span', { class: 'who', id: 'who' }, `${me.name} (${me.role})`),
    h('button', { class: 'link', id: 'logout', onclick: async () => { await api('DELETE', '/api/session'); localStorage.removeItem(SIGNED_IN); location.hash = ''; login(); } }, 'Sign out'));
  clear(app, header, main);
  const show = async () => {
    const id = location.hash.slice(1) in VIEWS ? location.hash.slice(1) : 'forecast';
    const v = VIEWS[id];
    for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.view === id);
    if (RANK[me.role] < RANK[v.minRole]) { clear(main, h('p', { class: 'error' }, `${v.title} needs the ${v.minRole} role.`)); return; }
    clear(main);
    try { await v.render(main, me); } catch (e) { const s = h('p', { class: 'status' }); main.append(s); showError(s, e); }
  };
  window.onhashchange = () => void show();
  void show();
}

void start();
