#!/usr/bin/env node
/**
 * Leaderboard: ensembles (ensemble-mean, stacking, select-best) beside their members and the best single models
 * under the ST-HSL (counts) and ST-SHN (occurrence) protocols, with 95% bootstrap CIs over the 92 test days and
 * paired bootstrap tests of every model against the best single model.
 *
 * Both protocols backtest the same tensor over the same test days one day ahead, so every model is backtested
 * once (runBacktests, in-process so the three ensembles share their member fits: models/ensemble/member-cache.ts)
 * and scored with each protocol's own scoring pieces (count/hot-spot/occurrence fields, summarise). A check at
 * the end runs `runProtocol` for one model and asserts the figures are identical to what `crimecast backtest
 * --protocol …` prints. The best single model is the one with the best primary proper score (log score for
 * ST-HSL, Brier score for ST-SHN); ensemble weights / selections are fitted inside every training history on
 * its last `validation` days, so nothing is tuned on test days.
 *
 * Build first: npx tsc -p .
 * Run: node bench/ensemble.mjs [--refit-every 46] [--validation 28] [--bootstrap 1000]
 *      [--singles 'spec spec …'] [--members 'a|b|…'] [--out bench/results/ensemble.json]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../dist/models/all.js';
import { runProtocol } from '../dist/evaluate/protocols/index.js';
import { runBacktests } from '../dist/evaluate/backtest/parallel.js';
import { loadStshnData } from '../dist/evaluate/protocols/stshn-data.js';
import { countFields } from '../dist/evaluate/protocols/count-fields.js';
import { hotspotFields } from '../dist/evaluate/protocols/hotspot-fields.js';
import { occurrenceFields } from '../dist/evaluate/protocols/occurrence-fields.js';
import { FieldLayout } from '../dist/evaluate/protocols/field-layout.js';
import { perPeriod, summarise } from '../dist/evaluate/protocols/summarise.js';
import { HOTSPOT_COVERAGES } from '../dist/evaluate/protocols/st-hsl.js';
import { occurrenceRateMask } from '../dist/evaluate/protocols/st-shn.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = resolve(ROOT, '..', 'shared', 'data', 'stshn-chicago-2016-2017');
if (!existsSync(DATA) && !process.env.CRIMECAST_SHARED_DATA) { console.log(`skipped: ${DATA} not found`); process.exit(0); }

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
// refit every 46 days = 2 fits over the 92 test days: the GLMs take minutes per fit on a loaded 2-core machine
const refitEvery = Number(opt('refit-every', '46'));
const validation = Number(opt('validation', '28'));
const bootstrap = Number(opt('bootstrap', '1000'));
const singles = opt('singles', [
  'moving-average:window=30', 'moving-average:window=30,dist=negbin', 'historical-average', 'historical-average:dist=negbin',
  'etas-grid', 'negbin-glm', 'poisson-glm', 'ingarch',
].join(' ')).split(' ');
// a member's own parameters are separated by ';' inside an ensemble spec. ingarch dominates the run time (its
// predict re-filters every series over the longer history, ~4 s a day on a loaded 2-core machine): ~30 min in all.
const members = opt('members', 'moving-average:window=30;dist=negbin|historical-average:dist=negbin|etas-grid|negbin-glm|ingarch');
const out = opt('out', resolve(ROOT, 'bench', 'results', 'ensemble.json'));
const ensembles = [
  `ensemble-mean:members=${members},validation=${validation}`,
  `stacking:members=${members},validation=${validation}`,
  `select-best:members=${members},validation=${validation}`,
];
const models = [...singles, ...ensembles];
const short = (spec) => spec.replace(/members=[^,]*/, 'members=…');
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

// ------------------------------------------------------------------------------------------- one set of backtests
const { data, splits } = await loadStshnData(models);
const { tensor } = data;
const [testStart, testEnd] = splits.tst;
const C = tensor.categories, RC = tensor.regions * C, cats = tensor.categoryNames;
const t0 = performance.now();
let last = t0;
const backtests = await runBacktests(data, models, {
  testStart, testEnd, horizon: 1, refitEvery, seed: 1, workers: 1,
  onModelProgress: (m, done, total) => {
    if (done < total) return;
    const now = performance.now();
    process.stderr.write(`  ${short(models[m])}: ${((now - last) / 1000).toFixed(1)} s\n`);
    last = now;
  },
});
const seconds = (performance.now() - t0) / 1000;
const obsAt = (p) => tensor.data.subarray((testStart + p) * RC, (testStart + p + 1) * RC);

// ------------------------------------------------------------------------------------------- protocol scoring
function scoreStHsl(reference) {
  const layout = new FieldLayout();
  const counts = countFields(layout, cats);
  const groups = { all: cats.map((_, c) => c) };
  cats.forEach((name, c) => { groups[name] = [c]; });
  const hot = hotspotFields(layout, C, groups, HOTSPOT_COVERAGES);
  return summarise(backtests, layout.K, (res) => perPeriod(res, layout.K, (row, p) => {
    const pred = res.mean.subarray(p * RC, (p + 1) * RC);
    counts.fill(row, pred, obsAt(p), res.logScore.subarray(p * C, (p + 1) * C), res.rps.subarray(p * C, (p + 1) * C));
    hot.fill(row, pred, obsAt(p));
  }), [...counts.metrics, ...hot.metrics], { reference, bootstrap, seed: 1 }).models;
}
function scoreStShn(reference) {
  const layout = new FieldLayout();
  const occ = occurrenceFields(layout, cats, 0.5, occurrenceRateMask(tensor, splits.trn[0], splits.trn[1]));
  return summarise(backtests, layout.K, (res) => perPeriod(res, layout.K, (row, p) => {
    occ.fill(row, res.pAny.subarray(p * RC, (p + 1) * RC), obsAt(p));
  }), occ.metrics, { reference, bootstrap, seed: 1 }).models;
}

const PROTOCOLS = {
  'st-hsl': { score: scoreStHsl, primary: 'logScore/all', metrics: ['logScore/all', 'deviance/all', 'MAE/all', 'RPS/all', 'PAI@1%/all', 'PAI@5%/all'] },
  'st-shn': { score: scoreStShn, primary: 'Brier/all', metrics: ['Brier/all', 'meanF1', 'pooledF1'] },
};
const isBetter = (better, a, b) => (better === 'lower' ? a < b : a > b);
const bestOf = (reports, name) => reports.filter((m) => singles.includes(m.spec))
  .reduce((a, b) => (isBetter(a.metrics[name].better, b.metrics[name].value, a.metrics[name].value) ? b : a));

const report = { refitEvery, validation, bootstrap, singles, members, testDays: testEnd - testStart, backtestSeconds: seconds, protocols: {} };
console.log(`ST-HSL / ST-SHN Chicago, ${testEnd - testStart} test days, refit every ${refitEvery} days; ensembles validate on the last ${validation} training days`);
console.log(`members: ${members}`);
for (const [protocol, P] of Object.entries(PROTOCOLS)) {
  const best = bestOf(P.score(singles[0]), P.primary).spec;
  const reports = P.score(best);
  console.log(`\n=== ${protocol}: best single model on ${P.primary}: ${best} (paired-test reference) ===`);
  const verdicts = [];
  for (const name of P.metrics) {
    const better = reports[0].metrics[name].better, bestOn = bestOf(reports, name);
    console.log(`\n${name} (${better} is better; best single on it: ${bestOn.spec})`);
    for (const m of reports) {
      const x = m.metrics[name], d = x.vsReference, ens = !singles.includes(m.spec);
      const vs = d ? `  Δ ${d.diff >= 0 ? '+' : ''}${fmt(d.diff)} [${fmt(d.lo)}, ${fmt(d.hi)}] p=${d.p.toFixed(3)}` : '  (reference)';
      console.log(`  ${(ens ? '* ' : '  ') + short(m.spec).padEnd(42)} ${fmt(x.value)} [${fmt(x.lo)}, ${fmt(x.hi)}]${vs}`);
      if (ens && d) {
        const wins = better === 'lower' ? d.hi < 0 : d.lo > 0, loses = better === 'lower' ? d.lo > 0 : d.hi < 0;
        verdicts.push({
          metric: name, ensemble: short(m.spec), reference: best, value: x.value, diff: d.diff, lo: d.lo, hi: d.hi, p: d.p,
          verdict: wins ? 'better (95% CI of Δ excludes 0)' : loses ? 'worse (95% CI of Δ excludes 0)' : 'no significant difference',
          bestSingleOnMetric: bestOn.spec, aboveBestSingleOnMetric: isBetter(better, x.value, bestOn.metrics[name].value),
        });
      }
    }
  }
  console.log(`\nverdict, paired bootstrap against ${best}:`);
  for (const v of verdicts) {
    console.log(`  ${v.metric.padEnd(13)} ${v.ensemble.padEnd(40)} ${v.verdict}` +
      (v.bestSingleOnMetric !== best ? `; ${v.aboveBestSingleOnMetric ? 'also beats' : 'does not beat'} ${v.bestSingleOnMetric}, the best single on ${v.metric}` : ''));
  }
  report.protocols[protocol] = {
    best, primary: P.primary, verdicts,
    models: reports.map((m) => ({ spec: m.spec, timing: m.timing, metrics: Object.fromEntries(P.metrics.map((k) => [k, m.metrics[k]])) })),
  };
}
console.log(`\nbacktests: ${models.length} models in ${seconds.toFixed(0)} s (per-model fit/predict times in the JSON)`);

// ------------------------------------------------------------------------------------------- consistency check
// the shared-backtest scoring above must give exactly what the protocol CLI gives
for (const protocol of Object.keys(PROTOCOLS)) {
  const spec = singles[0], name = PROTOCOLS[protocol].primary;
  const cli = (await runProtocol(protocol, [spec], { refitEvery, bootstrap, seed: 1 })).models[0].metrics[name];
  const ours = report.protocols[protocol].models.find((m) => m.spec === spec).metrics[name];
  if (cli.value !== ours.value || cli.lo !== ours.lo || cli.hi !== ours.hi) {
    throw new Error(`${protocol} ${name} of ${spec}: protocol gives ${cli.value} [${cli.lo}, ${cli.hi}], this bench ${ours.value} [${ours.lo}, ${ours.hi}]`);
  }
  console.log(`check: ${protocol} ${name} of ${spec} identical to runProtocol (${fmt(cli.value)} [${fmt(cli.lo)}, ${fmt(cli.hi)}])`);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 1));
console.log(`→ ${out}`);
