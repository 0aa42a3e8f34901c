#!/usr/bin/env node
// Can a learned combination beat the long-run count map at 250 m daily (Chicago 2016–17)? Issue 18, directions 3
// (place features) and 4 (gradient boosting over pooled cell-days). Measured on the 92 VALIDATION days before the
// protocol's test span (as bench/hotspot-headroom.mjs), never on the test span:
// - historical average: the cell's mean daily count over all days before d;
// - hotspot: the registered model fitted once on the days before the window, conditioned on the days before d
//   (it is a 'conditioned' model: predict reads the recent counts from the history it is handed);
// - gbm-Poisson (the project's GradientBoosting) over pooled cell-days of the TRAIN_DAYS days before the window
//   (a seeded uniform subsample of them, SAMPLE share), features computed from the days before each row's day:
//   long-run rate, decayed rates at half-lives 7/30/90/365 days, yesterday's count, the last 7 days, the
//   neighbours' mean decayed rate (30, 365 days), the hotspot rate, weekday; "place" is the risk-terrain layers
//   (src/features/risk-terrain.ts: distance to nearest and count within 400 m of L stops, bus stops, public
//   schools, police stations) at the cell centroids. Four feature sets: long-run + place (direction 3 alone),
//   place only, rate features, rate features + place.
// Rows: PAI at 0.5/1/5% of area pooled over the window, and the per-day PAI@1% difference vs historical average
// (mean ± 1.96 s.e. over days; days are autocorrelated, so the interval is optimistic).
// Build first: npx tsc -p .   Run: nice -n 5 node bench/hotspot-learned.mjs   (env TRAIN_DAYS=360 SAMPLE=0.08 CAND=0.1
// TRUNC=100; a few minutes)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../dist/models/all.js';
import { createForecaster } from '../dist/models/registry.js';
import { readIncidentFile } from '../dist/data/ingest/read.js';
import { buildDataset } from '../dist/tensor/dataset.js';
import { slicePeriods } from '../dist/tensor/count-tensor.js';
import { localDateToUtc } from '../dist/time/bins.js';
import { addHotspotSums, emptyHotspotSums, hotspotMetricsFromSums, hotspotPeriod, sumCategories } from '../dist/evaluate/metrics/hotspot.js';
import { GradientBoosting } from '../dist/models/trees/index.js';
import { riskTerrain } from '../dist/features/risk-terrain.js';
import { Rng } from '../dist/util/rng.js';

const SHARED = process.env.CRIMECAST_SHARED_DATA ?? new URL('../../shared/data', import.meta.url).pathname;
const CSV = join(SHARED, 'stshn-chicago-2016-2017/raw/CHI_Crime.csv');
const COVS = join(SHARED, 'chicago-covariates');
const BOUNDARY = join(COVS, 'boundaries/community_areas.geojson');
if (!existsSync(CSV) || !existsSync(BOUNDARY)) { console.log(`skipped: ${CSV} or ${BOUNDARY} not found`); process.exit(0); }
const TRAIN_DAYS = Number(process.env.TRAIN_DAYS ?? 360), SAMPLE = Number(process.env.SAMPLE ?? 0.08);
const t0 = performance.now();
const secs = () => ((performance.now() - t0) / 1000).toFixed(0) + ' s';

const { table } = await readIncidentFile(CSV, { preset: 'stshn-chicago' });
const data = buildDataset(table, { units: 'grid:cell=250,mask=' + BOUNDARY, period: 'day', categories: ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'] });
const t = data.tensor, R = t.regions, C = t.categories, P = t.periods, units = data.units;
const testStart = t.periodStart.findIndex((x) => x >= localDateToUtc('2017-10-01', table.tz) - 1);
const a = testStart - 92, b = testStart, trainFrom = a - TRAIN_DAYS;
if (trainFrom < 180) throw new Error(`TRAIN_DAYS=${TRAIN_DAYS} leaves under 180 days of history before the first training day`);
const y = new Float64Array(P * R);
for (let p = 0; p < P; p++) y.set(sumCategories(t.data.subarray(p * R * C, (p + 1) * R * C), C), p * R);

// Point layers: each file's coordinates are either "(lat, lon)" or WKT "POINT (lon lat)"; a line with neither is
// counted and reported, not dropped silently.
function pointLayer(name, file) {
  const lines = readFileSync(join(COVS, 'points', file), 'utf8').split(/\r?\n/).slice(1).filter((l) => l.trim());
  const lat = [], lon = [];
  let missing = 0;
  for (const l of lines) {
    const wkt = /POINT \((-?\d+\.\d+) (-?\d+\.\d+)\)/.exec(l), pair = /\((-?\d+\.\d+), (-?\d+\.\d+)\)/.exec(l);
    if (wkt) { lon.push(+wkt[1]); lat.push(+wkt[2]); } else if (pair) { lat.push(+pair[1]); lon.push(+pair[2]); } else missing++;
  }
  console.log(`layer ${name}: ${lat.length} points from ${file}${missing ? `, ${missing} of ${lines.length} lines without coordinates left out` : ''}`);
  return { name, lat: Float64Array.from(lat), lon: Float64Array.from(lon) };
}
const place = riskTerrain(units, [
  pointLayer('l_stop', 'cta_l_stops_2013.csv'), pointLayer('bus_stop', 'cta_bus_stops_2022.csv'),
  pointLayer('school', 'cps_schools_sy2011_2012.csv'), pointLayer('police', 'police_stations.csv'),
]);
const K_PLACE = place.names.length;

// hotspot: fit on the days before the window; its rate for day d is conditioned on the days before d
const history = (d) => ({ tensor: slicePeriods(t, 0, d), units, incidents: table, incidentRegion: data.incidentRegion, incidentCategory: data.incidentCategory });
const hot = createForecaster('hotspot');
await hot.fit(history(a), { seed: 1 });
console.log(`hotspot fitted on days 0…${a - 1} (${secs()})`);
const hotRate = new Map();
for (let d = trainFrom; d < b; d++) hotRate.set(d, sumCategories((await hot.predict(history(d), 1)).mean, C));
console.log(`hotspot rates for days ${trainFrom}…${b - 1} (${secs()})`);

// rate features per (day, cell), from the days before the day only
const HALF = [7, 30, 90, 365];
const RATE_NAMES = ['longrun', ...HALF.map((h) => `ema${h}`), 'yesterday', 'last7', 'nbr_ema30', 'nbr_ema365', 'hotspot', 'weekday'];
const K_RATE = RATE_NAMES.length;
const rateFeat = new Map();
{
  const dec = HALF.map((h) => Math.pow(0.5, 1 / h));
  const E = HALF.map(() => new Float64Array(R)), W = HALF.map(() => 0);
  const cum = new Float64Array(R), last7 = new Float64Array(R);
  const { offsets, neighbors } = units.adjacency;
  for (let d = 0; d < b; d++) {
    if (d >= trainFrom) {
      const f = new Float32Array(R * K_RATE), hr = hotRate.get(d);
      for (let r = 0; r < R; r++) {
        const o = r * K_RATE;
        f[o] = cum[r] / d;
        for (let h = 0; h < HALF.length; h++) f[o + 1 + h] = E[h][r] / W[h];
        f[o + 5] = y[(d - 1) * R + r]; f[o + 6] = last7[r];
        for (const [j, h] of [[7, 1], [8, 3]]) {
          let s = 0; const n = offsets[r + 1] - offsets[r];
          for (let k = offsets[r]; k < offsets[r + 1]; k++) s += E[h][neighbors[k]] / W[h];
          f[o + j] = n ? s / n : NaN;
        }
        f[o + 9] = hr[r]; f[o + 10] = d % 7;
      }
      rateFeat.set(d, f);
    }
    for (let r = 0; r < R; r++) {
      const v = y[d * R + r];
      cum[r] += v; last7[r] += v - (d >= 7 ? y[(d - 7) * R + r] : 0);
      for (let h = 0; h < HALF.length; h++) E[h][r] = E[h][r] * dec[h] + v;
    }
    for (let h = 0; h < HALF.length; h++) W[h] = W[h] * dec[h] + 1;
  }
}
// a feature set: which rate columns, and whether the place columns follow them
const ALL_RATE = RATE_NAMES.map((_, k) => k);
const rowX = (d, r, set, out, o) => {
  const f = rateFeat.get(d);
  set.rate.forEach((k, j) => { out[o + j] = f[r * K_RATE + k]; });
  if (set.place) for (let k = 0; k < K_PLACE; k++) out[o + set.rate.length + k] = place.values[r * K_PLACE + k];
};

// training rows: a seeded uniform subsample of the cell-days before the window (uniform keeps the Poisson mean unbiased)
const rng = new Rng(7);
const train = [];
for (let d = trainFrom; d < a; d++) for (let r = 0; r < R; r++) if (rng.random() < SAMPLE) train.push(d * R + r);
console.log(`training rows: ${train.length} of ${TRAIN_DAYS * R} cell-days (days ${trainFrom}…${a - 1}, share ${SAMPLE})`);
function fitGbm(set) {
  const k = set.rate.length + (set.place ? K_PLACE : 0), n = train.length;
  const X = new Float32Array(n * k), Y = new Float32Array(n);
  train.forEach((i, j) => { const d = Math.floor(i / R), r = i % R; rowX(d, r, set, X, j * k); Y[j] = y[i]; });
  const g = new GradientBoosting({ objective: 'poisson', maxIter: 300, learningRate: 0.05, maxLeaves: 31, minSamplesLeaf: 200, l2: 1, earlyStopping: true, validationFraction: 0.15, nIterNoChange: 15 });
  g.fit(X, n, k, Y, { seed: 1 });
  const Xd = new Float32Array(R * k);
  return { rounds: g.trees.length, at: (d) => { for (let r = 0; r < R; r++) rowX(d, r, set, Xd, r * k); return g.predict(Xd, R); } };
}

// Direction 4's ranking objective: LambdaRank (NDCG@TRUNC, linear gains = incidents caught) within each day, over
// the day's candidate cells — the CAND share of cells with the highest long-run rate that day (the top 1–5% of
// the city is always drawn from them; ranking the other 90% against each other would cost pairs and teach
// nothing about the patrolled head). Every candidate cell-day of the training days is used (no subsample: a
// ranking needs whole days). Non-candidates rank below every candidate, in long-run order. Early stopping holds
// out 15% of the training days whole.
const CAND = Number(process.env.CAND ?? 0.1), TRUNC = Number(process.env.TRUNC ?? 100), PATIENCE = Number(process.env.PATIENCE ?? 15);
const ONLY_RANK = process.env.ONLY_RANK === '1'; // skip the Poisson gbm rows (a quicker run of the ranking rows)
const candidates = (d) => {
  const f = rateFeat.get(d), order = Array.from({ length: R }, (_, r) => r).sort((p, q) => f[q * K_RATE] - f[p * K_RATE] || p - q);
  return order.slice(0, Math.ceil(CAND * R));
};
function fitRank(set) {
  const k = set.rate.length + (set.place ? K_PLACE : 0);
  const days = [], cells = [];
  for (let d = trainFrom; d < a; d++) for (const r of candidates(d)) { days.push(d); cells.push(r); }
  const n = days.length, X = new Float32Array(n * k), Y = new Float32Array(n), group = Int32Array.from(days);
  for (let j = 0; j < n; j++) { rowX(days[j], cells[j], set, X, j * k); Y[j] = y[days[j] * R + cells[j]]; }
  const g = new GradientBoosting({ objective: 'lambdarank', truncation: TRUNC, maxIter: 300, learningRate: 0.05, maxLeaves: 31, minSamplesLeaf: 200, l2: 1, earlyStopping: true, validationFraction: 0.15, nIterNoChange: PATIENCE });
  const t1 = performance.now();
  g.fit(X, n, k, Y, { group, seed: 1 });
  const G = g.rankingGroups;
  console.log(`lambdarank: ${n} candidate cell-days in ${a - trainFrom} day groups (${G.train} training, ${G.validation} held out; ` +
    `${G.train - G.trainWithPositive + G.validation - G.validationWithPositive} without any incident add nothing), ${g.trees.length} rounds in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  const Xd = new Float32Array(R * k);
  return { rounds: g.trees.length, at: (d) => {
    const cand = candidates(d), f = rateFeat.get(d);
    for (let j = 0; j < cand.length; j++) rowX(d, cand[j], set, Xd, j * k);
    const s = g.predict(Xd.subarray(0, cand.length * k), cand.length);
    let lo = Infinity, hi = -Infinity;
    for (const v of s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    // hot-spot flagging ranks risk ÷ cell area, so risk = area · exp(score − max) ranks by the score itself;
    // non-candidates sit below every candidate, in long-run order
    const area = units.area, risk = new Float64Array(R);
    for (let r = 0; r < R; r++) risk[r] = (area ? area[r] : 1) * Math.exp(lo - hi) * 1e-6 * (1e-9 + Math.min(f[r * K_RATE], 1));
    cand.forEach((r, j) => { risk[r] = (area ? area[r] : 1) * Math.exp(s[j] - hi); });
    return risk;
  } };
}

const COV = [0.005, 0.01, 0.05];
const ha = (d) => rateFeat.get(d).filter((_, i) => i % K_RATE === 0);
const perDay = (riskAt) => {
  const s = emptyHotspotSums(COV), day = [];
  for (let d = a; d < b; d++) {
    const one = hotspotPeriod(riskAt(d), y.subarray(d * R, (d + 1) * R), COV, units.area);
    addHotspotSums(s, one); day.push(hotspotMetricsFromSums(one).pai[1]);
  }
  return { pai: hotspotMetricsFromSums(s).pai, day };
};
const base = perDay(ha);
const rows = [];
const add = (name, res, extra = '') => {
  const diff = res.day.map((v, i) => v - base.day[i]), m = diff.reduce((x, z) => x + z, 0) / diff.length;
  const se = Math.sqrt(diff.reduce((x, z) => x + (z - m) ** 2, 0) / (diff.length - 1) / diff.length);
  rows.push({ forecast: name + extra, 'PAI@0.5%': +res.pai[0].toFixed(2), 'PAI@1%': +res.pai[1].toFixed(2), 'PAI@5%': +res.pai[2].toFixed(2),
    '×HA @1%': +(res.pai[1] / base.pai[1]).toFixed(3), 'day Δ@1% ± 1.96 se': `${m.toFixed(2)} ± ${(1.96 * se).toFixed(2)}` });
};
add('historical average', base);
add('hotspot (fit before window)', perDay((d) => hotRate.get(d)));
for (const h of [1, 2, 3, 4]) add(`decayed rate, half-life ${HALF[h - 1]} d`, perDay((d) => rateFeat.get(d).filter((_, i) => i % K_RATE === h)));
if (!ONLY_RANK) for (const [name, set] of [
  ['long-run rate + place', { rate: [0], place: true }], ['place only', { rate: [], place: true }],
  ['rate features', { rate: ALL_RATE, place: false }], ['rate features + place', { rate: ALL_RATE, place: true }],
]) {
  const g = fitGbm(set);
  console.log(`gbm ${name}: ${g.rounds} rounds (${secs()})`);
  add(`gbm-Poisson, ${name}`, perDay(g.at), ` (${g.rounds} rounds)`);
}
for (const [name, set] of [['rate features', { rate: ALL_RATE, place: false }], ['rate features + place', { rate: ALL_RATE, place: true }]]) {
  const g = fitRank(set);
  add(`gbm-LambdaRank@${TRUNC}, ${name}`, perDay(g.at), ` (${g.rounds} rounds)`);
}
console.log(`${R} cells of 250 m, validation days ${a}…${b - 1} (the 92 days before 2017-10-01), training days ${trainFrom}…${a - 1}`);
console.log(`features: ${RATE_NAMES.join(', ')}; place: ${place.names.join(', ')}`);
console.table(rows);
console.log(`total ${secs()}`);
