#!/usr/bin/env node
// Deep spatio-temporal forecasters (TensorFlow.js, Wasm backend, one thread) on the ST-HSL Chicago benchmark
// (14×12 grid of 3 km cells, 4 categories, daily; train+val 639 days, test 92 days), beside the moving-average
// baseline and the feature-based ML models.
//
// Sections (default: all, in this order; torch last):
//   timing       fit once on the 639 days before the test: seconds, epochs, ms per epoch; median ms per one-day forecast
//   leaderboard  runProtocol('st-hsl') with refits every --refit-every test days (default 30): masked / unmasked MAE,
//                deviance, log score, PAI, with 95% bootstrap CIs and paired differences against moving-average
//   compress     post-training int8 / ternary weight quantisation: change in test accuracy (paired bootstrap against
//                the float network, same fit) and median inference time per forecast
//   torch        convlstm training per epoch beside PyTorch CPU on the same network, one thread
//                each, alternating run by run: see the section below
//   transfer     pre-train on AGL-STAN Chicago 2015 (77 community areas), fine-tune on the ST-HSL grid with 10%, 25%
//                and 100% of its training history, against training from scratch on the same data
// usage: npm run build && nice -n 10 node bench/deep.mjs [sections…] [--refit-every 30] [--models a,b] [--ml negbin-glm,gbm] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../dist/models/all.js';
import { createForecaster } from '../dist/models/registry.js';
import { runProtocol } from '../dist/evaluate/protocols/index.js';
import { loadStshnData } from '../dist/evaluate/protocols/stshn-data.js';
import { sharedDataPath } from '../dist/evaluate/protocols/data-dir.js';
import { pairedBootstrap, bootstrapCI } from '../dist/evaluate/uncertainty.js';
import { poissonUnitDeviance } from '../dist/evaluate/metrics/counts.js';
import { quantiseModel } from '../dist/models/deep/quantise.js';
import { createTensor } from '../dist/tensor/count-tensor.js';
import { readNpy } from '../dist/tensor/npy.js';
import { adjacencyFromLists } from '../dist/space/units.js';
import { tf } from '../dist/models/deep/backend.js';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); if (i < 0) return def; const v = args[i + 1]; args.splice(i, 2); return v; };
const refitEvery = Number(opt('--refit-every', 30));
const jsonOut = opt('--json', '');
const DEEP = ['mlp', 'lstm', 'gru', 'cnn', 'convlstm', 'st-resnet', 'gnn'];
const deepModels = opt('--models', DEEP.join(',')).split(',');
const mlModels = opt('--ml', 'negbin-glm,gbm').split(',').filter(Boolean);
const sections = args.length ? args : ['timing', 'leaderboard', 'compress', 'transfer', 'torch'];
const results = {};
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
const ci = (m) => `${f3(m.value)} [${f3(m.lo)}, ${f3(m.hi)}]`;

const { data, splits } = await loadStshnData(['gnn']);
const full = data.tensor;
const [testStart, testEnd] = splits.tst;
const R = full.regions, C = full.categories, RC = R * C;
const prefix = (t, n) => ({ ...t, periods: n, data: t.data.subarray(0, n * t.regions * t.categories), periodStart: t.periodStart.subarray(0, n) });
const trainHistory = { tensor: prefix(full, testStart), units: data.units };
console.log(`ST-HSL: ${full.periods} days × ${R} cells × ${C} categories; test days ${testStart}–${testEnd - 1}; backend ${await (await import('../dist/models/deep/backend.js')).initDeep()}, one thread`);

// wall time, and CPU time of this process, which a shared, loaded machine distorts far less (Wasm runs one thread)
const cpuS = (c) => { const d = process.cpuUsage(c); return (d.user + d.system) / 1e6; };
async function timeFit(spec) {
  const f = createForecaster(spec);
  const t0 = performance.now(), c0 = process.cpuUsage();
  await f.fit(trainHistory, { seed: 1 });
  const fitS = (performance.now() - t0) / 1000, fitCpuS = cpuS(c0);
  const pred = [], predCpu = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now(), c = process.cpuUsage();
    await f.predict(trainHistory, 1);
    pred.push(performance.now() - t); predCpu.push(cpuS(c) * 1000);
  }
  return { f, fitS, fitCpuS, predictMs: median(pred), predictCpuMs: median(predCpu) };
}

if (sections.includes('timing')) {
  console.log('\n## Training and inference time (fit on the 639 days before the test, seed 1)');
  console.log('model                    fit s (cpu s)     epochs  best  s/epoch (cpu)   predict ms (cpu), median of 15');
  results.timing = [];
  for (const spec of ['moving-average:window=30', ...mlModels, ...deepModels]) {
    const { f, fitS, fitCpuS, predictMs, predictCpuMs } = await timeFit(spec);
    const lt = f.lastTraining;
    const row = { spec, fitS, fitCpuS, predictMs, predictCpuMs, epochs: lt?.epochs, bestEpoch: lt ? lt.bestEpoch + 1 : undefined, sPerEpoch: lt ? lt.msPerEpoch / 1000 : undefined, cpuSPerEpoch: lt ? fitCpuS / lt.epochs : undefined };
    results.timing.push(row);
    const per = lt ? `${row.sPerEpoch.toFixed(2)} (${row.cpuSPerEpoch.toFixed(2)})` : '-';
    console.log(`${spec.padEnd(24)} ${`${fitS.toFixed(1)} (${fitCpuS.toFixed(1)})`.padStart(16)}  ${String(row.epochs ?? '-').padStart(6)}  ${String(row.bestEpoch ?? '-').padStart(4)}  ${per.padStart(13)}  ${`${predictMs.toFixed(1)} (${predictCpuMs.toFixed(1)})`.padStart(14)}`);
    f.dispose?.();
  }
}

if (sections.includes('torch')) {
  // The same network in PyTorch (Debian python3-torch): ConvLSTM (3×3, 16 filters, 'same') over the 7 lag maps of
  // 14 × 12 cells × 4 categories, its last hidden state concatenated with the 10 calendar channels, 1×1 conv 16 ReLU,
  // 1×1 conv to 4 log-rates; Poisson loss with the per-cell log offset, Adam (lr 0.003), batches of 32 over the 365
  // training maps in a fresh shuffle, then the loss on the 28 validation maps: the work of one CrimeCast epoch.
  // CPU seconds per epoch, one thread each (torch.set_num_threads(1); the Wasm backend has one), 2 epochs a run.
  const { pythonHas, startPython, printRatioTable } = await import('./_interleave.mjs');
  const version = pythonHas(['torch']);
  if (!version) console.log('\ntorch skipped: /usr/bin/python3 lacks torch (Debian: apt-get install python3-torch)');
  else {
    const py = `
import torch, numpy as np
torch.set_num_threads(1); torch.manual_seed(1)
L, C, K, H, W, F, B, N, V = 7, 4, 10, 14, 12, 16, 32, 365, 28
class Net(torch.nn.Module):
  def __init__(s):
    super().__init__()
    s.gates = torch.nn.Conv2d(C + F, 4 * F, 3, padding=1)   # input and recurrent 3x3 convolutions, as Keras' ConvLSTM2D
    s.mix = torch.nn.Conv2d(F + K, F, 1); s.head = torch.nn.Conv2d(F, C, 1)
  def forward(s, seq, cal):
    h = torch.zeros(seq.shape[0], F, H, W); c = torch.zeros_like(h)
    for t in range(L):
      i, f, g, o = s.gates(torch.cat([seq[:, t], h], 1)).chunk(4, 1)
      c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g); h = torch.sigmoid(o) * torch.tanh(c)
    return s.head(torch.relu(s.mix(torch.cat([h, cal], 1))))
rng = np.random.default_rng(1)
seq = torch.tensor(rng.normal(size=(N + V, L, C, H, W)), dtype=torch.float32); cal = torch.tensor(rng.normal(size=(N + V, K, H, W)), dtype=torch.float32)
y = torch.tensor(rng.poisson(0.3, size=(N + V, C, H, W)), dtype=torch.float32); off = torch.full((N + V, C, H, W), -1.2)
def loss(eta, k): return (torch.exp(eta + off[k]) - y[k] * (eta + off[k])).mean()
def epochs(msg):
  net = Net(); opt = torch.optim.Adam(net.parameters(), lr=0.003)
  def run():
    for e in range(msg['epochs']):
      perm = torch.randperm(N)
      for a in range(0, N, B):
        k = perm[a:a + B]; opt.zero_grad(); l = loss(net(seq[k], cal[k]), k); l.backward(); opt.step()
      with torch.no_grad(): k = torch.arange(N, N + V); loss(net(seq[k], cal[k]), k).item()
  t, _ = timed(run)
  return t
serve({'epochs': epochs})
`;
    const ref = await startPython(py, [], 1);
    const E = 2, ours = [], theirs = [];
    for (let k = 0; k < 3; k++) {
      const jsRun = async () => {
        const f = createForecaster(`convlstm:epochs=${E},patience=50`);
        const c0 = process.cpuUsage();
        await f.fit(trainHistory, { seed: 1 });
        const cpu = cpuS(c0) / f.lastTraining.epochs;
        f.dispose?.();
        return cpu;
      };
      let a, b;
      if (k % 2 === 0) { a = await jsRun(); b = (await ref.run('epochs', { epochs: E })).cpu / E; }
      else { b = (await ref.run('epochs', { epochs: E })).cpu / E; a = await jsRun(); }
      ours.push(a); theirs.push(b);
      console.log(`torch run ${k + 1}: CrimeCast ${a.toFixed(2)} s CPU per epoch, PyTorch ${b.toFixed(2)}, ratio ${(a / b).toFixed(2)}`);
    }
    ref.close();
    printRatioTable('Deep training per epoch: CrimeCast (TF.js Wasm) / PyTorch CPU, same network', [{
      task: 'convlstm, ST-HSL 14×12×4, lookback 7, 16 filters, batch 32, 365 + 28 maps an epoch', threads: '1 / 1', clock: 'CPU s per epoch',
      ours, theirs, agree: true, agreement: `same layer shapes and parameter count (12,084); timing only, torch ${version}`, target: 3,
      note: 'one thread each: the Wasm backend\'s threaded build does not run under Node; the rest is 128-bit FMA-less GEMM and small kernels',
    }]);
  }
}

if (sections.includes('leaderboard')) {
  const models = ['moving-average:window=30', ...mlModels, ...deepModels];
  console.log(`\n## ST-HSL leaderboard (refit every ${refitEvery} test days; 95% bootstrap CIs over the 92 test days)`);
  const t0 = performance.now();
  const res = await runProtocol('st-hsl', models, { refitEvery, seed: 1, onProgress: () => {} });
  console.log(`(${((performance.now() - t0) / 60000).toFixed(1)} min)`);
  const cols = ['maskedMAE/all', 'MAE/all', 'deviance/all', 'logScore/all', 'PAI@1%/all', 'PAI@5%/all'];
  console.log(['model'.padEnd(24), ...cols.map((c) => c.padEnd(24)), 'MAE − moving-average', 'fits', 'fit s'].join(' '));
  results.leaderboard = res.models.map((m) => ({ spec: m.spec, metrics: Object.fromEntries(cols.map((c) => [c, m.metrics[c]])), timing: m.timing }));
  for (const m of res.models) {
    const d = m.metrics['MAE/all'].vsReference;
    const vs = d ? `${d.diff >= 0 ? '+' : ''}${f3(d.diff)} [${f3(d.lo)}, ${f3(d.hi)}]` : '(reference)';
    console.log([m.spec.padEnd(24), ...cols.map((c) => ci(m.metrics[c]).padEnd(24)), vs.padEnd(20), String(m.timing.fits).padStart(4), (m.timing.fitMs / 1000).toFixed(1)].join(' '));
  }
}

/** Rolling one-day forecasts of the test days with a fixed fitted model: per-day [Σ|e|, n, Σ_{y>0}|e|, #y>0, Σ dev]. */
async function testContributions(f, tensor, units) {
  const rc = tensor.regions * tensor.categories, K = 5;
  const out = new Float64Array((testEnd - testStart) * K);
  for (let p = testStart; p < testEnd; p++) {
    const fc = await f.predict({ tensor: prefix(tensor, p), units }, 1);
    const o = (p - testStart) * K;
    for (let i = 0; i < rc; i++) {
      const y = tensor.data[p * rc + i], mu = fc.mean[i], e = Math.abs(mu - y);
      out[o] += e; out[o + 1]++; if (y > 0) { out[o + 2] += e; out[o + 3]++; } out[o + 4] += poissonUnitDeviance(mu, y);
    }
  }
  return out;
}
const MAE = (t) => t[0] / t[1], MASKED = (t) => t[2] / t[3], DEV = (t) => t[4] / t[1];
const stats = { MAE, maskedMAE: MASKED, deviance: DEV };
function compare(a, b) {
  return Object.fromEntries(Object.entries(stats).map(([k, s]) => [k, { a: bootstrapCI(a, 5, s, { seed: 1 }), diff: pairedBootstrap(a, b, 5, s, { seed: 1 }) }]));
}
const fmtDiff = (d) => `${d.diff >= 0 ? '+' : ''}${d.diff.toFixed(4)} [${d.lo.toFixed(4)}, ${d.hi.toFixed(4)}]`;

if (sections.includes('compress')) {
  console.log('\n## Post-training quantisation (one fit on the 639 training days, then fixed weights over the 92 test days)');
  results.compress = [];
  for (const spec of ['cnn', 'gnn', 'lstm', 'st-resnet'].filter((m) => deepModels.includes(m))) {
    const { f, predictMs, predictCpuMs } = await timeFit(spec);
    const net = f.network;
    const original = net.getWeights().map((w) => w.clone());
    const base = await testContributions(f, full, data.units);
    for (const mode of ['int8', 'ternary']) {
      net.setWeights(original);
      const rep = quantiseModel(net, mode);
      const q = await testContributions(f, full, data.units);
      const times = [], cpu = [];
      for (let i = 0; i < 15; i++) {
        const t = performance.now(), c = process.cpuUsage();
        await f.predict(trainHistory, 1);
        times.push(performance.now() - t); cpu.push(cpuS(c) * 1000);
      }
      const cmp = compare(q, base);
      const row = { spec, mode, floatKB: rep.floatBytes / 1024, quantisedKB: rep.quantisedBytes / 1024, rmsWeightError: rep.rmsError, predictMsFloat: predictMs, predictCpuMsFloat: predictCpuMs, predictMsQuantised: median(times), predictCpuMsQuantised: median(cpu), ...Object.fromEntries(Object.entries(cmp).map(([k, v]) => [k, { value: v.a.estimate, vsFloat: v.diff }])) };
      results.compress.push(row);
      console.log(`${spec.padEnd(10)} ${mode.padEnd(8)} weights ${row.floatKB.toFixed(1)} KB → ${row.quantisedKB.toFixed(1)} KB; predict CPU ${predictCpuMs.toFixed(1)} → ${row.predictCpuMsQuantised.toFixed(1)} ms (×${(predictCpuMs / row.predictCpuMsQuantised).toFixed(2)}; wall ${predictMs.toFixed(1)} → ${row.predictMsQuantised.toFixed(1)}); ` +
        `MAE ${MAE(sum5(base)).toFixed(4)} → ${cmp.MAE.a.estimate.toFixed(4)} (Δ ${fmtDiff(cmp.MAE.diff)}), maskedMAE Δ ${fmtDiff(cmp.maskedMAE.diff)}, deviance Δ ${fmtDiff(cmp.deviance.diff)}`);
    }
    tf.dispose(original);
    f.dispose();
  }
}
function sum5(c) { const t = new Float64Array(5); for (let i = 0; i < c.length; i++) t[i % 5] += c[i]; return t; }

if (sections.includes('transfer')) {
  console.log('\n## Transfer: pre-train on AGL-STAN Chicago 2015 (77 community areas, all 8 categories summed) → fine-tune on the ST-HSL grid 2016–17 (4 categories summed)');
  const dir = mkdtempSync(join(tmpdir(), 'crimecast-transfer-'));
  const src = readNpy(sharedDataPath('aglstan-chicago2015/chicago/crime.npy'));
  const adj = readNpy(sharedDataPath('aglstan-chicago2015/chicago/adj_mat.npy'));
  const [sT, sR, sC] = src.shape;
  const sData = new Float32Array(sT * sR);
  for (let i = 0; i < sT * sR; i++) for (let c = 0; c < sC; c++) sData[i] += Number(src.data[i * sC + c]);
  const day = 86_400_000;
  const srcTensor = createTensor({ periods: sT, regions: sR, categories: 1, categoryNames: ['all'], regionIds: Array.from({ length: sR }, (_, i) => String(i + 1)), periodStart: Float64Array.from({ length: sT }, (_, p) => Date.UTC(2015, 0, 1) + p * day), unit: 'day', tz: 'UTC' }, sData);
  const lists = Array.from({ length: sR }, (_, i) => { const l = []; for (let j = 0; j < sR; j++) if (i !== j && Number(adj.data[i * sR + j]) > 0) l.push(j); return l; });
  // only the adjacency graph is read by the graph and per-region models; the areas' geometry is not shipped with the tensor
  const noGeometry = () => { throw new Error('AGL-STAN community areas: geometry not available'); };
  const srcUnits = { kind: 'polygons', n: sR, ids: srcTensor.regionIds, area: new Float64Array(sR).fill(1), centroidLat: new Float64Array(sR), centroidLon: new Float64Array(sR), adjacency: adjacencyFromLists(lists), assign: noGeometry, geometry: noGeometry, spec: {} };
  const tData = new Float32Array(full.periods * R);
  for (let i = 0; i < full.periods * R; i++) for (let c = 0; c < C; c++) tData[i] += full.data[i * C + c];
  const target = createTensor({ ...full, categories: 1, categoryNames: ['all'] }, tData);
  results.transfer = [];
  for (const model of ['gnn', 'mlp']) {
    const ckpt = join(dir, model);
    const pre = createForecaster(`${model}:checkpoint=${ckpt}`);
    const t0 = performance.now();
    await pre.fit({ tensor: srcTensor, units: srcUnits }, { seed: 1 });
    console.log(`${model}: pre-trained on ${sT} days × ${sR} areas in ${((performance.now() - t0) / 1000).toFixed(1)} s (${pre.lastTraining.epochs} epochs)`);
    pre.dispose();
    for (const frac of [0.1, 0.25, 1]) {
      const n = Math.round(frac * testStart);
      const hist = { tensor: { ...target, periods: n, data: target.data.subarray((testStart - n) * R, testStart * R), periodStart: target.periodStart.subarray(testStart - n, testStart) }, units: data.units };
      const run = async (spec) => {
        const f = createForecaster(spec);
        const t = performance.now();
        await f.fit(hist, { seed: 1 });
        const s = (performance.now() - t) / 1000;
        const contrib = await testContributions(f, target, data.units);
        const epochs = f.lastTraining.epochs;
        f.dispose();
        return { contrib, s, epochs };
      };
      const scratch = await run(model), tuned = await run(`${model}:init=${ckpt}`);
      const cmp = compare(tuned.contrib, scratch.contrib);
      const row = { model, frac, days: n, scratch: { MAE: MAE(sum5(scratch.contrib)), deviance: DEV(sum5(scratch.contrib)), fitS: scratch.s, epochs: scratch.epochs }, fineTuned: { MAE: MAE(sum5(tuned.contrib)), deviance: DEV(sum5(tuned.contrib)), fitS: tuned.s, epochs: tuned.epochs }, gain: { MAE: cmp.MAE.diff, deviance: cmp.deviance.diff } };
      results.transfer.push(row);
      console.log(`  ${String(frac * 100).padStart(3)}% (${n} days): scratch MAE ${row.scratch.MAE.toFixed(4)} dev ${row.scratch.deviance.toFixed(4)} (${scratch.s.toFixed(1)} s, ${scratch.epochs} ep) | fine-tuned MAE ${row.fineTuned.MAE.toFixed(4)} dev ${row.fineTuned.deviance.toFixed(4)} (${tuned.s.toFixed(1)} s, ${tuned.epochs} ep) | fine-tuned − scratch: MAE ${fmtDiff(cmp.MAE.diff)}, deviance ${fmtDiff(cmp.deviance.diff)}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
