/**
 * Backtests: start one (analysts), follow its progress, then read it as a report: the summary (what to use and why)
 * first, a map with its legend, then the leaderboard (95% CIs, paired tests) and hit-rate curves.
 */
import { api, type BacktestJob, type DatasetInfo, type Me } from '../api.js';
import { lineChart } from '../chart.js';
import { clear, field, fmt, h, showError } from '../dom.js';
import type { View } from '../main.js';
import { renderReportMap, renderSummary } from './backtest-report.js';

/** The pooled metrics (all categories), as the CLI prints by default. */
const pooled = (name: string) => !name.includes('/') || name.endsWith('/all');

export const backtestView: View = {
  title: 'Backtests', minRole: 'viewer',
  async render(root: HTMLElement, me: Me) {
    const status = h('p', { class: 'status', id: 'backtest-status' });
    const summary = h('section', { class: 'card summary', id: 'backtest-summary' });
    const mapCard = h('section', { class: 'card', id: 'backtest-report-map' });
    const board = h('section', { class: 'card', id: 'leaderboard' });
    const curves = h('section', { class: 'card', id: 'hitrate' });
    const list = h('select', { id: 'backtest-pick' });
    let timer: number | undefined;

    const show = async (id: string) => {
      clearTimeout(timer);
      const j = await api<BacktestJob>('GET', `/api/backtests/${encodeURIComponent(id)}`);
      // the picker's line says the job's state as it is now, not as it was when the list was read
      const opt = [...list.options].find((o) => o.value === j.id);
      if (opt) opt.textContent = optionText(j);
      if (j.status === 'queued' || j.status === 'running') {
        showProgress(status, j);
        timer = window.setTimeout(() => void show(id).catch((e) => showError(status, e)), 500);
        return;
      }
      if (j.status === 'failed') { clear(status, h('span', { class: 'error' }, `${j.id} failed: ${j.error}`)); clear(summary); clear(mapCard); clear(board); clear(curves); return; }
      clear(status, `${j.id}: ${j.request.models.length} models on ${j.request.dataset} (${j.request.units}, ${j.request.period}), ${j.result!.leaderboard.testPeriods} test periods from ${j.request.testFrom}`);
      renderSummary(summary, j);
      renderBoard(board, j);
      renderCurves(curves, j);
      await renderReportMap(mapCard, j, me).catch((e) => showError(mapCard, e));
    };

    const refreshList = async (select?: string) => {
      const { backtests } = await api<{ backtests: BacktestJob[] }>('GET', '/api/backtests');
      clear(list, ...backtests.map((b) => h('option', { value: b.id }, optionText(b))));
      if (select) list.value = select;
      if (list.value) await show(list.value);
    };
    list.onchange = () => void show(list.value).catch((e) => showError(status, e));

    root.append(h('section', { class: 'card' }, h('div', { class: 'row' }, field('Backtest', list)), status), summary, mapCard, board, curves);
    if (me.role !== 'viewer') root.append(await startForm(status, (id) => refreshList(id)));
    await refreshList();
    if (!list.value) clear(status, 'No backtest yet.');
  },
};

function showProgress(status: HTMLElement, j: BacktestJob): void {
  clear(status, h('progress', { id: 'backtest-progress', max: 1, value: j.progress }), ` ${j.id}: ${j.status} ${Math.round(100 * j.progress)}% ${j.message}`);
}

function optionText(b: BacktestJob): string {
  return `${b.id} · ${b.request.dataset} · ${b.request.models.join(', ')} · ${b.status}`;
}

async function startForm(status: HTMLElement, started: (id: string) => Promise<void>): Promise<HTMLElement> {
  const { datasets } = await api<{ datasets: DatasetInfo[] }>('GET', '/api/datasets');
  const ds = h('select', { id: 'bt-dataset' }, ...datasets.map((d) => h('option', { value: d.dataset }, d.dataset)));
  const models = h('textarea', { id: 'bt-models', rows: 3, cols: 34 });
  models.value = 'moving-average:window=28\npersistence\nhistorical-average';
  const units = h('input', { id: 'bt-units', value: 'grid:500', size: 10 });
  const period = h('select', { id: 'bt-period' }, ...['day', 'week', 'hour', 'month'].map((p) => h('option', { value: p }, p)));
  const testFrom = h('input', { id: 'bt-test-from', type: 'date' });
  const pickDefault = () => {
    const d = datasets.find((x) => x.dataset === ds.value);
    // default test window: the last quarter of the data
    if (d?.from && d.to) testFrom.value = new Date(Date.parse(d.from) + 0.75 * (Date.parse(d.to) - Date.parse(d.from))).toISOString().slice(0, 10);
  };
  ds.onchange = pickDefault;
  pickDefault();
  const btn = h('button', { id: 'bt-run', type: 'submit' }, 'Run backtest');
  return h('form', { class: 'card', onsubmit: async (e: Event) => {
    e.preventDefault();
    btn.disabled = true;
    try {
      const job = await api<BacktestJob>('POST', '/api/backtests', {
        dataset: ds.value, units: units.value, period: period.value, testFrom: testFrom.value,
        models: models.value.split('\n').map((s) => s.trim()).filter(Boolean), bootstrap: 300,
      });
      window.scrollTo(0, 0); // the progress and then the report show at the top
      showProgress(status, job); // at once, from the reply: a short run may be done by the first poll
      await started(job.id);
    } catch (err) { showError(status, err); } finally { btn.disabled = false; }
  } }, h('h3', {}, 'New backtest (rolling origin)'), h('div', { class: 'row' }, field('Dataset', ds), field('Models (one spec a line)', models), field('Units', units), field('Period', period), field('Test from', testFrom), btn));
}

function renderBoard(el: HTMLElement, j: BacktestJob): void {
  const lb = j.result!.leaderboard;
  const names = Object.keys(lb.models[0].metrics).filter(pooled);
  const table = h('table', { id: 'leaderboard-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'metric'), ...lb.models.map((m) => h('th', m.external ? { title: `${m.external.kind} forecast from ${m.external.file}, sha256 ${m.external.sha256}` } : {}, `${m.spec}${m.external ? ' [external]' : ''}`)))),
    h('tbody', {},
      // bias beside the masked metrics: a win bought by forecasting high shows at once
      h('tr', {}, h('td', {}, 'bias/all (mean forecast ÷ mean actual; 1 = unbiased)'), ...lb.models.map((m) => {
        const b = m.bias?.['bias/all'];
        return h('td', {}, b ? `×${fmt(b.value, 3)} [${fmt(b.lo, 3)}, ${fmt(b.hi, 3)}]` : '–');
      })),
      ...names.map((n) => {
      const vals = lb.models.map((m) => m.metrics[n] ?? { value: NaN, lo: NaN, hi: NaN, better: '' });
      const better = vals.find((v) => v.better)?.better ?? vals[0].better;
      const best = vals.reduce((b, v, i) => ((better === 'lower' ? v.value < vals[b].value : v.value > vals[b].value) ? i : b), 0);
      // ★ only for a significant win (paired test against the reference), ✗ for a significant loss to it
      const w = lb.winners.find((x) => x.metric === n);
      const starred = w?.significant ? lb.models.findIndex((m) => m.spec === w.winner) : -1;
      return h('tr', {}, h('td', {}, `${n} (${better} better)`), ...vals.map((v, i) => {
        const worse = lb.models[i].worseThanReference?.includes(n) ?? false;
        return h('td', { class: `${i === best ? 'best' : ''}${worse ? ' worse' : ''}`, title: v.vsReference ? `Δ vs reference ${fmt(v.vsReference.diff, 4)}, p = ${fmt(v.vsReference.p, 3)}` : 'reference' },
          `${fmt(v.value, 3)} [${fmt(v.lo, 3)}, ${fmt(v.hi, 3)}]${i === starred ? ' ★' : ''}${worse ? ' ✗' : ''}`);
      }));
    })));
  const warnings = lb.models.flatMap((m) => [
    ...(m.warnings ?? []).map((w) => h('li', { class: 'warning' }, `${m.spec}: ⚠ ${w}`)),
    ...(m.worseThanReference?.length ? [h('li', { class: 'warning' }, `${m.spec}: ✗ significantly worse than ${lb.reference} on ${m.worseThanReference.join(', ')}`)] : []),
  ]);
  clear(el, h('h3', {}, 'Leaderboard'), h('p', { class: 'muted' }, `95% bootstrap intervals over ${lb.testPeriods} test periods; hover for the paired difference against ${lb.reference}. ★ significant win, ✗ significantly worse than ${lb.reference}.`),
    ...(warnings.length ? [h('ul', { id: 'leaderboard-warnings' }, ...warnings)] : []), table);
}

function renderCurves(el: HTMLElement, j: BacktestJob): void {
  const c = j.result!.hitRateCurves;
  const div = h('div', { id: 'hitrate-chart' });
  clear(el, h('h3', {}, c.title), div);
  lineChart(div, { x: c.series[0].x, logX: true, xLabel: 'share of area flagged', yLabel: 'hit rate', series: c.series.map((s) => ({ label: s.name, y: s.y })) });
}
