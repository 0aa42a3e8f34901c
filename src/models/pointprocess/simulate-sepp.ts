/**
 * Seeded simulation of a continuous space-time SEPP on [0, T] days by branching: background events at
 * `rate` per day, placed uniformly in a rectangle or from a Gaussian mixture (hot spots); each event has
 * Poisson(θ) children at Exp(ω) delays, displaced N(0, σ²I) metres. Children may land outside the rectangle.
 */
import { Rng } from '../../util/rng.js';

export interface Rect { minX: number; minY: number; maxX: number; maxY: number }

export type SeppBackground =
  | { kind: 'uniform'; rect: Rect }
  | { kind: 'mixture'; x: number[]; y: number[]; sd: number[]; weight: number[] };

export interface SeppSimulation {
  x: Float64Array;
  y: Float64Array;
  /** Days, ascending. */
  t: Float64Array;
  background: Uint8Array;
}

export function simulateSepp(p: { rate: number; background: SeppBackground; theta: number; omega: number; sigma: number; T: number; seed?: number }): SeppSimulation {
  if (!(p.theta >= 0 && p.theta < 1)) throw new Error(`θ must be in [0, 1) (got ${p.theta})`);
  const rng = new Rng(p.seed ?? 1);
  const xs: number[] = [], ys: number[] = [], ts: number[] = [], bs: number[] = [];
  const bgN = rng.poisson(p.rate * p.T);
  const bgSpec = p.background;
  let cum: number[] = [];
  if (bgSpec.kind === 'mixture') {
    const tot = bgSpec.weight.reduce((a, b) => a + b, 0);
    let acc = 0;
    cum = bgSpec.weight.map((w) => (acc += w / tot));
  }
  for (let k = 0; k < bgN; k++) {
    let x: number, y: number;
    if (bgSpec.kind === 'uniform') {
      const r = bgSpec.rect;
      x = r.minX + rng.random() * (r.maxX - r.minX);
      y = r.minY + rng.random() * (r.maxY - r.minY);
    } else {
      const u = rng.random();
      let c = 0;
      while (c < cum.length - 1 && cum[c] < u) c++;
      x = rng.normal(bgSpec.x[c], bgSpec.sd[c]);
      y = rng.normal(bgSpec.y[c], bgSpec.sd[c]);
    }
    xs.push(x); ys.push(y); ts.push(rng.random() * p.T); bs.push(1);
  }
  // breadth-first over generations: index `next` walks the growing list of parents
  for (let next = 0; next < ts.length; next++) {
    const nc = rng.poisson(p.theta);
    for (let k = 0; k < nc; k++) {
      const tc = ts[next] + rng.exponential(p.omega);
      if (tc >= p.T) continue;
      xs.push(xs[next] + rng.normal(0, p.sigma)); ys.push(ys[next] + rng.normal(0, p.sigma));
      ts.push(tc); bs.push(0);
    }
  }
  const order = Int32Array.from(ts.keys()).sort((a, b) => ts[a] - ts[b]);
  return {
    x: Float64Array.from(order, (i) => xs[i]),
    y: Float64Array.from(order, (i) => ys[i]),
    t: Float64Array.from(order, (i) => ts[i]),
    background: Uint8Array.from(order, (i) => bs[i]),
  };
}
