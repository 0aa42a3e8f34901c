// Shared by bench/trees.mjs and bench/learners.mjs (files starting with "_" are not benchmarks for bench/run.mjs):
// the seeded synthetic count matrix with a known nonlinear log-rate, its accuracy measures, and fit timing.
import { Rng } from '../dist/util/rng.js';

export const P = 20;

// log-rate: an interaction, a bowl, a slope, a step, a product; features 7–19 are noise
export const logRate = (x, o) => -0.5 + Math.sin(Math.PI * x[o] * x[o + 1]) + 2 * (x[o + 2] - 0.5) ** 2 + 0.8 * x[o + 3]
  + (x[o + 4] > 0.6 ? 0.5 : 0) - 0.6 * x[o + 5] * x[o + 6];

/** n rows × P uniform features, Poisson counts y, and the occurrence target y > 0. */
export function simulate(n, seed) {
  const rng = new Rng(seed), X = new Float32Array(n * P), y = new Float32Array(n);
  for (let i = 0; i < X.length; i++) X[i] = rng.random();
  for (let i = 0; i < n; i++) y[i] = rng.poisson(Math.exp(logRate(X, i * P)));
  return { X, y, occ: Float32Array.from(y, (v) => (v > 0 ? 1 : 0)) };
}

/** Mean Poisson deviance, its explained fraction D² against the training mean, and R² of the counts. */
export function countAccuracy(y, mu, trainMean) {
  let dev = 0, dev0 = 0, ss = 0, st = 0, my = 0;
  for (let i = 0; i < y.length; i++) my += y[i] / y.length;
  const d = (yy, m) => 2 * ((yy > 0 ? yy * Math.log(yy / m) : 0) - (yy - m));
  for (let i = 0; i < y.length; i++) {
    const m = Math.max(mu[i], 1e-9);
    dev += d(y[i], m); dev0 += d(y[i], trainMean);
    ss += (y[i] - mu[i]) ** 2; st += (y[i] - my) ** 2;
  }
  return { deviance: dev / y.length, d2: 1 - dev / dev0, r2: 1 - ss / st };
}

export const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** Median wall and CPU seconds of `runs` calls of make() (CPU time is distorted far less on a loaded machine). */
export function timeFits(make, runs) {
  const wall = [], cpu = [];
  let result;
  for (let r = 0; r < runs; r++) {
    const t = performance.now(), c = process.cpuUsage();
    result = make();
    const dc = process.cpuUsage(c);
    wall.push((performance.now() - t) / 1000);
    cpu.push((dc.user + dc.system) / 1e6);
  }
  return { seconds: median(wall), cpu: median(cpu), result };
}
