/** Seeded simulation of grid ETAS on [0, T] days by branching (each cell is an independent Hawkes process). */
import { Rng } from '../../util/rng.js';
import { TimeStack } from './hawkes-forecast.js';

export interface GridEtasSimulation {
  /** Event times in days, ascending. */
  t: Float64Array;
  stream: Int32Array;
  /** 1 for background events, 0 for triggered ones. */
  background: Uint8Array;
}

export function simulateGridEtas(p: { mu: ArrayLike<number>; theta: number; omega: number; T: number; seed?: number }): GridEtasSimulation {
  if (!(p.theta >= 0 && p.theta < 1)) throw new Error(`θ must be in [0, 1) for a stationary process (got ${p.theta})`);
  const rng = new Rng(p.seed ?? 1);
  const ts: number[] = [], ss: number[] = [], bs: number[] = [];
  const stack = new TimeStack();
  const spawn = (t: number) => {
    const nc = rng.poisson(p.theta);
    for (let k = 0; k < nc; k++) stack.push(t + rng.exponential(p.omega));
  };
  for (let s = 0; s < p.mu.length; s++) {
    const nb = rng.poisson(p.mu[s] * p.T);
    for (let k = 0; k < nb; k++) {
      const t = rng.random() * p.T;
      ts.push(t); ss.push(s); bs.push(1);
      spawn(t);
    }
    while (stack.size > 0) {
      const t = stack.pop();
      if (t >= p.T) continue;
      ts.push(t); ss.push(s); bs.push(0);
      spawn(t);
    }
  }
  const order = Int32Array.from(ts.keys()).sort((a, b) => ts[a] - ts[b]);
  return {
    t: Float64Array.from(order, (i) => ts[i]),
    stream: Int32Array.from(order, (i) => ss[i]),
    background: Uint8Array.from(order, (i) => bs[i]),
  };
}
