#!/usr/bin/env node
/**
 * Time-series forecasters on the ST-SHN Chicago benchmark tensor (168 regions × 4 categories, daily).
 *
 * A. All 672 series: fit time of each registered forecaster (arima, ets, stl, ingarch; medians of --reps runs)
 *    on the history before the last 30 days, then MAE of its 1–30-day-ahead forecasts over those 30 days,
 *    next to the moving-average and seasonal-naive baselines.
 * B. The busy series (mean ≥ 3 a day, where ARIMA/ETS are actually used instead of the count model) and the
 *    4 citywide series: one-step-ahead MAE over the last 30 days with a refit every day (orders / ETS forms
 *    chosen once at the first origin, parameters re-estimated daily), and per-fit time — side by side with
 *    statsmodels fitting the same ARIMA orders (same day-of-week + holiday regressors) and the same ETS forms,
 *    when /usr/bin/python3 has statsmodels.
 *
 * C. Daily update + predict from one fit (what a backtest with --refit-every > 1 pays per day): each model is fitted
 *    once on the history before the held-out days, then for each of --update-days days the engine's sequence is
 *    timed — `update(history)` with one more day, then `predict(history, 1)` — for all 672 series.
 *
 * Build first: npx tsc -p .   Run: node bench/timeseries.mjs [--reps 3] [--skip-statsmodels] [--max-series 40]
 *   [--sections ABC] [--update-days 20] [--update-models ingarch,arima,ets,stl] [--out results.json]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStshnBenchmark } from '../dist/tensor/stshn.js';
import { slicePeriods } from '../dist/tensor/count-tensor.js';
import { createForecaster } from '../dist/models/registry.js';
import { logPmf } from '../dist/models/distribution.js';
import '../dist/models/baselines/index.js';
import '../dist/models/timeseries/forecasters/index.js';
import { calendarContext } from '../dist/models/timeseries/forecasters/calendar-context.js';
import { calendarFeatures } from '../dist/time/calendar.js';
import { autoArima } from '../dist/models/timeseries/auto-arima.js';
import { fitArima, forecastArima } from '../dist/models/timeseries/arima.js';
import { autoEts, fitEts, forecastEts } from '../dist/models/timeseries/ets.js';
import { fitIngarch, forecastIngarch } from '../dist/models/timeseries/ingarch.js';
import { fitStlForecast, forecastStl } from '../dist/models/timeseries/forecasters/stl-forecaster.js';

const args = process.argv.slice(2);
const arg = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const reps = Number(arg('--reps', 3));
const maxSeries = Number(arg('--max-series', 40));
const skipSm = args.includes('--skip-statsmodels');
const dir = arg('--data', '/work/shared/data/stshn-chicago-2016-2017/tensors_npy');
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const sections = arg('--sections', 'ABC');

const { tensor } = loadStshnBenchmark(dir);
const { regions: R, categories: C, periods: P } = tensor;
const TEST = 30, T0 = P - TEST;
console.log(`ST-SHN Chicago: ${P} days × ${R} regions × ${C} categories; last ${TEST} days held out (origin ${T0})`);

// ---------------------------------------------------------------------------------------------- A: all series
const hist = { tensor: slicePeriods(tensor, 0, T0) };
const actual = (h, i) => tensor.data[(T0 + h) * R * C + i];
const rowsA = [];
if (sections.includes('A')) {
console.log('\nA. all 672 series: fit time (median of %d); MAE and mean negative log-likelihood (log score) of 1–30-day-ahead forecasts from one fit', reps);
for (const spec of ['moving-average:window=30', 'seasonal-naive', 'ingarch', 'ets', 'stl', 'arima']) {
  const times = [];
  let f;
  for (let k = 0; k < reps; k++) {
    f = createForecaster(spec);
    const t0 = performance.now();
    await f.fit(hist, { seed: 1 });
    times.push((performance.now() - t0) / 1000);
  }
  const fc = await f.predict(hist, TEST);
  let ae = 0, ae1 = 0, nll = 0;
  for (let h = 0; h < TEST; h++) for (let i = 0; i < R * C; i++) {
    const k = h * R * C + i, e = Math.abs(fc.mean[k] - actual(h, i));
    ae += e; if (h === 0) ae1 += e;
    nll -= Math.max(-50, logPmf(fc, k, actual(h, i)));
  }
  // MAE rewards forecasting 0 on sparse cells; the log score judges the whole predictive distribution
  const row = { model: spec, fitSeconds: +median(times).toFixed(2), perSeriesMs: +((median(times) * 1000) / (R * C)).toFixed(2), mae1to30: +(ae / (TEST * R * C)).toFixed(4), maeDay1: +(ae1 / (R * C)).toFixed(4), logScore: +(nll / (TEST * R * C)).toFixed(4), models: f.report?.models };
  rowsA.push(row);
  console.log(`  ${spec.padEnd(26)} fit ${row.fitSeconds.toFixed(2).padStart(6)} s (${row.perSeriesMs} ms/series)  MAE 1–30 ${row.mae1to30}  MAE day 1 ${row.maeDay1}  log score ${row.logScore}`);
}
}

// ---------------------------------------------------------------------------------------------- C: daily update + predict
const rowsC = [];
if (sections.includes('C')) {
  const days = Math.min(TEST, Number(arg('--update-days', 20)));
  const models = arg('--update-models', 'ingarch,arima,ets,stl').split(',');
  console.log(`\nC. one fit on the ${T0} days before the held-out span, then ${days} days of update(history) + predict(history, 1) for all ${R * C} series (ms per day: median, max)`);
  for (const spec of models) {
    const f = createForecaster(spec);
    let t0 = performance.now();
    await f.fit(hist, { seed: 1 });
    const fitS = (performance.now() - t0) / 1000;
    const ms = [];
    let ae = 0;
    for (let d = 1; d <= days; d++) {
      // the history now holds d held-out days: the model has not seen them
      const h = { tensor: slicePeriods(tensor, 0, T0 + d) };
      t0 = performance.now();
      await f.update?.(h);
      const fc = await f.predict(h, 1);
      ms.push(performance.now() - t0);
      if (T0 + d < P) for (let i = 0; i < R * C; i++) ae += Math.abs(fc.mean[i] - tensor.data[(T0 + d) * R * C + i]);
    }
    const scored = Math.min(days, P - T0 - 1);
    // a history shorter than the state (ensemble validation) restarts every filter from the window's start
    let restartMs = null;
    if (f.update && days > 5) {
      t0 = performance.now();
      await f.update({ tensor: slicePeriods(tensor, 0, T0 + days - 5) });
      restartMs = +(performance.now() - t0).toFixed(1);
    }
    const row = { model: spec, fitSeconds: +fitS.toFixed(2), days, updatePredictMsMedian: +median(ms).toFixed(2), updatePredictMsMax: +Math.max(...ms).toFixed(2), firstDayMs: +ms[0].toFixed(2), restartMs, oneStepMae: +(ae / (scored * R * C)).toFixed(4), fitted: f.fitted?.() };
    rowsC.push(row);
    console.log(`  ${spec.padEnd(10)} fit ${row.fitSeconds.toFixed(2).padStart(6)} s; update+predict per day: median ${row.updatePredictMsMedian} ms, max ${row.updatePredictMsMax} ms (first day ${row.firstDayMs} ms); restart ${restartMs ?? '–'} ms; one-step MAE ${row.oneStepMae} over ${scored} days`);
  }
}
if (!sections.includes('B')) {
  const outFile = arg('--out');
  if (outFile) writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), tensor: [P, R, C], allSeries: rowsA, daily: rowsC }, null, 1));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------- B: busy series, one-step
const series = [];
for (let c = 0; c < C; c++) {
  const y = new Float64Array(P);
  for (let p = 0; p < P; p++) for (let r = 0; r < R; r++) y[p] += tensor.data[(p * R + r) * C + c];
  series.push({ name: `city/${tensor.categoryNames[c]}`, y });
}
const busy = [];
for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
  let s = 0;
  for (let p = 0; p < T0; p++) s += tensor.data[(p * R + r) * C + c];
  if (s / T0 >= 3) busy.push({ r, c, mean: s / T0 });
}
busy.sort((a, b) => b.mean - a.mean);
for (const b of busy.slice(0, Math.max(0, maxSeries - C))) {
  const y = new Float64Array(P);
  for (let p = 0; p < P; p++) y[p] = tensor.data[(p * R + b.r) * C + b.c];
  series.push({ name: `r${b.r}/${tensor.categoryNames[b.c]}`, y });
}
console.log(`\nB. one-step MAE over the last ${TEST} days, daily refit: ${series.length} series (4 citywide + ${series.length - 4} busiest of ${busy.length} with mean ≥ 3)`);
const cal = calendarFeatures(tensor.periodStart, 'day', tensor.tz);
const spec = [];
const ours = { arima: { ae: 0, t: [] }, ets: { ae: 0, t: [] }, stl: { ae: 0, t: [] }, ingarch: { ae: 0, t: [] }, naive7: { ae: 0, t: [] } };
for (const s of series) {
  const ctx0 = calendarContext(slicePeriods(tensor, 0, T0), T0);
  const order = autoArima(s.y.subarray(0, T0), { xreg: ctx0.xreg, xregNames: ctx0.xregNames, maxP: 3, maxQ: 3, maxModels: 20 }).model.order;
  const etsSpec = autoEts(s.y.subarray(0, T0), { period: 7 }).model.spec;
  spec.push({ name: s.name, order, ets: etsSpec });
  for (let t = T0; t < P; t++) {
    const y = s.y.subarray(0, t), truth = s.y[t];
    const ctx = calendarContext(slicePeriods(tensor, 0, t), t);
    let t0 = performance.now();
    const m = fitArima(y, order, { xreg: ctx.xreg, xregNames: ctx.xregNames });
    ours.arima.t.push(performance.now() - t0);
    ours.arima.ae += Math.abs(Math.max(0, forecastArima(m, 1, ctx.xregFuture(1)).mean[0]) - truth);
    t0 = performance.now();
    let e;
    try { e = fitEts(y, etsSpec); } catch { e = fitEts(y, { error: 'A', trend: etsSpec.trend, season: etsSpec.season === 'M' ? 'A' : etsSpec.season, period: 7 }); }
    ours.ets.t.push(performance.now() - t0);
    ours.ets.ae += Math.abs(Math.max(0, forecastEts(e, 1).mean[0]) - truth);
    t0 = performance.now();
    const st = fitStlForecast(y, [7], 'ets');
    ours.stl.t.push(performance.now() - t0);
    ours.stl.ae += Math.abs(Math.max(0, forecastStl(st, 1).mean[0]) - truth);
    t0 = performance.now();
    const g = fitIngarch(y, { season: ctx.season, seasonLevels: 7 });
    ours.ingarch.t.push(performance.now() - t0);
    ours.ingarch.ae += Math.abs(forecastIngarch(g, 1, ctx.futureSeason(1))[0] - truth);
    ours.naive7.ae += Math.abs(s.y[t - 7] - truth);
  }
}
const nOne = series.length * TEST;
const rowsB = Object.entries(ours).map(([k, v]) => ({ model: `crimecast ${k}`, mae: +(v.ae / nOne).toFixed(3), medianFitMs: v.t.length ? +median(v.t).toFixed(1) : null }));

// ---------------------------------------------------------------------------------------------- statsmodels side
const py = String.raw`
import json, sys, time, warnings
import numpy as np
warnings.filterwarnings('ignore')
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
d = json.load(open(sys.argv[1]))
X = np.array(d['X']); T0 = d['T0']; P = d['P']
out = {'arima': {'ae': 0.0, 't': []}, 'ets': {'ae': 0.0, 't': []}}
for s in d['series']:
    y = np.array(s['y']); o = s['order']; e = s['ets']
    for t in range(T0, P):
        t0 = time.perf_counter()
        seas = (o['P'], o['D'], o['Q'], o['s']) if o['s'] > 1 else (0, 0, 0, 0)
        trend = 'c' if o['d'] + o['D'] == 0 else 'n'
        m = ARIMA(y[:t], exog=X[:t], order=(o['p'], o['d'], o['q']), seasonal_order=seas, trend=trend).fit()
        out['arima']['t'].append((time.perf_counter() - t0) * 1000)
        out['arima']['ae'] += abs(max(0.0, float(m.forecast(1, exog=X[t:t + 1])[0])) - y[t])
        t0 = time.perf_counter()
        kw = dict(error='add' if e['error'] == 'A' else 'mul', trend=None if e['trend'] == 'N' else 'add', damped_trend=e['trend'] == 'Ad',
                  seasonal=None if e['season'] == 'N' else ('add' if e['season'] == 'A' else 'mul'))
        if kw['seasonal']: kw['seasonal_periods'] = 7
        try:
            em = ETSModel(y[:t], **kw).fit(disp=False)
            f = float(em.forecast(1)[0])
        except Exception:
            # same fallback as the JS side: additive error and season
            kw.update(error='add', seasonal=kw['seasonal'] and 'add')
            f = float(ETSModel(y[:t], **kw).fit(disp=False).forecast(1)[0])
        out['ets']['t'].append((time.perf_counter() - t0) * 1000)
        out['ets']['ae'] += abs(max(0.0, f) - y[t])
print(json.dumps(out))
`;
let smRows = [];
const hasSm = !skipSm && existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import statsmodels'], { encoding: 'utf8' }).status === 0;
if (hasSm) {
  const tmp = mkdtempSync(join(tmpdir(), 'cc-ts-bench-'));
  // the regressors our ARIMA uses: day-of-week dummies (Tue…Sun) and the holiday indicator
  const X = Array.from({ length: P }, (_, p) => [...[1, 2, 3, 4, 5, 6].map((d) => (cal.dow[p] === d ? 1 : 0)), cal.holiday[p]]);
  writeFileSync(join(tmp, 'in.json'), JSON.stringify({ T0, P, X, series: series.map((s, k) => ({ y: Array.from(s.y), order: spec[k].order, ets: spec[k].ets })) }));
  writeFileSync(join(tmp, 'sm.py'), py);
  const r = spawnSync('/usr/bin/python3', [join(tmp, 'sm.py'), join(tmp, 'in.json')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status === 0) {
    const o = JSON.parse(r.stdout.trim().split('\n').pop());
    smRows = Object.entries(o).map(([k, v]) => ({ model: `statsmodels ${k}`, mae: +(v.ae / nOne).toFixed(3), medianFitMs: +median(v.t).toFixed(1) }));
  } else console.log('statsmodels run failed:', r.stderr.slice(-500));
} else console.log('(statsmodels not available: skipped)');
for (const row of [...rowsB, ...smRows]) console.log(`  ${row.model.padEnd(22)} one-step MAE ${String(row.mae).padStart(7)}  median fit ${row.medianFitMs} ms`);
console.log('  orders chosen at the first origin:', spec.map((s) => `${s.name}: ARIMA(${s.order.p},${s.order.d},${s.order.q}) ETS(${s.ets.error},${s.ets.trend},${s.ets.season})`).join('; '));

const out = { date: new Date().toISOString(), tensor: [P, R, C], heldOut: TEST, reps, allSeries: rowsA, daily: rowsC, oneStep: { series: series.length, rows: [...rowsB, ...smRows], choices: spec } };
const outFile = arg('--out');
if (outFile) writeFileSync(outFile, JSON.stringify(out, null, 1));
