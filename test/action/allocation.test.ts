import { describe, expect, it } from 'vitest';
import { allocate } from '../../src/action/allocation/allocate.js';
import { greedyAllocate } from '../../src/action/allocation/greedy.js';
import { mipAllocate } from '../../src/action/allocation/mip.js';
import { coveredBy, type AllocationProblem } from '../../src/action/allocation/problem.js';
import { Rng } from '../../src/util/rng.js';
import { haversineKm, reachWithin } from '../../src/action/allocation/forecast-input.js';

/** Best objective over every integer dosage vector with Σd ≤ U that meets bounds and group caps (or every patrol → region map). */
function bruteForce(p: AllocationProblem): number {
  const R = p.expected.length;
  const lo = (r: number) => (typeof p.minDosage === 'number' ? p.minDosage : p.minDosage?.[r] ?? 0);
  const hi = (r: number) => (typeof p.maxDosage === 'number' ? p.maxDosage : p.maxDosage?.[r] ?? Infinity);
  const budget = p.patrols ? p.patrols.reach.length : p.units;
  const feasible = (d: number[]) => {
    let s = 0;
    for (let r = 0; r < R; r++) { if (d[r] < lo(r) || d[r] > hi(r)) return false; s += d[r]; }
    if (s > budget) return false;
    for (const g of p.groups ?? []) {
      let w = 0;
      for (let r = 0; r < R; r++) w += g.weights[r] * d[r];
      if (w > g.maxShare * budget + 1e-9) return false;
    }
    return true;
  };
  let best = -Infinity;
  const d = new Array<number>(R).fill(0);
  if (p.patrols) {
    const reach = p.patrols.reach;
    const rec = (u: number) => {
      if (u === reach.length) { if (feasible(d)) best = Math.max(best, coveredBy(p, d)); return; }
      for (const r of reach[u]) { d[r]++; rec(u + 1); d[r]--; }
    };
    rec(0);
    return best;
  }
  const rec = (r: number, left: number) => {
    if (r === R) { if (feasible(d)) best = Math.max(best, coveredBy(p, d)); return; }
    for (let v = 0; v <= left; v++) { d[r] = v; rec(r + 1, left - v); }
    d[r] = 0;
  };
  rec(0, budget);
  return best;
}

function randomInstance(rng: Rng, withGroups: boolean): AllocationProblem {
  const R = 5;
  const expected = Array.from({ length: R }, () => +(rng.gamma(1.5, 2)).toFixed(3));
  const model = rng.random() < 0.5 ? { kind: 'exponential' as const, beta: 0.3 + rng.random() } : { kind: 'linear' as const, saturation: 1 + rng.int(3) };
  const p: AllocationProblem = { expected, units: 4, model, maxDosage: Array.from({ length: R }, () => 1 + rng.int(4)), minDosage: Array.from({ length: R }, () => (rng.random() < 0.2 ? 1 : 0)) };
  if (withGroups) {
    p.groups = [
      { name: 'a', weights: Array.from({ length: R }, () => (rng.random() < 0.5 ? 1 : 0)), maxShare: 0.25 + 0.25 * rng.int(3) },
      { name: 'b', weights: Array.from({ length: R }, () => +rng.random().toFixed(2)), maxShare: 0.5 },
    ];
  }
  return p;
}

describe('patrol allocation is optimal against brute force', () => {
  it('greedy equals brute force for budget + bounds (exponential and linear coverage), 40 instances', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 40; t++) {
      const p = randomInstance(rng, false);
      const g = greedyAllocate(p);
      expect(g.dosage.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
      expect(g.covered).toBeCloseTo(bruteForce(p), 9);
    }
  });

  it('MIP equals brute force with group caps, 30 instances (4 units over 5 regions)', async () => {
    const rng = new Rng(12);
    let checked = 0;
    for (let t = 0; t < 30; t++) {
      const p = randomInstance(rng, true);
      const bf = bruteForce(p);
      if (bf === -Infinity) { await expect(mipAllocate(p)).rejects.toThrow(/cannot all be met/); continue; }
      const m = await allocate(p);
      expect(m.method).toBe('mip');
      expect(m.covered).toBeCloseTo(bf, 6);
      // the returned plan itself satisfies every group cap
      for (const g of p.groups!) {
        let w = 0;
        for (let r = 0; r < 5; r++) w += g.weights[r] * m.dosage[r];
        expect(w).toBeLessThanOrEqual(g.maxShare * 4 + 1e-9);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('MIP equals brute force with travel reach (each patrol to one reachable region)', async () => {
    const rng = new Rng(13);
    for (let t = 0; t < 20; t++) {
      const p: AllocationProblem = randomInstance(rng, t % 2 === 0);
      p.minDosage = 0;
      p.groups = p.groups?.map((g) => ({ ...g, maxShare: 0.75 }));
      p.patrols = { reach: Array.from({ length: 4 }, (_, u) => Int32Array.from(new Set([u, u + 1, rng.int(5)]))) };
      const bf = bruteForce(p);
      if (bf === -Infinity) continue;
      const m = await mipAllocate(p);
      expect(m.covered).toBeCloseTo(bf, 6);
      // patrols land only where they can reach, and they add up to the dosage
      const d = new Int32Array(5);
      m.patrolRegion!.forEach((r, u) => { expect(Array.from(p.patrols!.reach[u])).toContain(r); d[r]++; });
      expect(Array.from(d)).toEqual(Array.from(m.dosage));
    }
  });

  it('greedy and MIP agree on a larger uncoupled instance, and diminishing returns spread the dosage', async () => {
    const rng = new Rng(5);
    const expected = Array.from({ length: 60 }, () => rng.gamma(0.8, 3));
    const p: AllocationProblem = { expected, units: 25, model: { kind: 'exponential', beta: 0.7 }, maxDosage: 5 };
    const g = greedyAllocate(p), m = await mipAllocate(p);
    expect(m.covered).toBeCloseTo(g.covered, 6);
    const top = expected.indexOf(Math.max(...expected));
    expect(g.dosage[top]).toBeGreaterThan(1);
    expect(g.dosage.filter((v) => v > 0).length).toBeGreaterThan(5);
  });

  it('rejects minimums above the budget', () => {
    expect(() => greedyAllocate({ expected: [1, 2], units: 1, model: { kind: 'linear', saturation: 1 }, minDosage: 1 })).toThrow(/minimum dosages need 2/);
  });
});

describe('travel reach', () => {
  it('keeps the regions whose centroid lies within the radius of a base', () => {
    // 0.01° of longitude at the equator ≈ 1.11 km
    expect(haversineKm(0, 0, 0, 0.01)).toBeCloseTo(1.112, 2);
    const feats = [0, 1, 2, 3].map((i) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[i * 0.01, 0], [i * 0.01 + 0.01, 0], [i * 0.01 + 0.01, 0.01], [i * 0.01, 0.01], [i * 0.01, 0]]] as [number, number][][] } }));
    const reach = reachWithin(feats, [[0.005, 0.005], [0.005, 0.035]], 1.2);
    expect(Array.from(reach[0])).toEqual([0, 1]);
    expect(Array.from(reach[1])).toEqual([2, 3]);
  });
});
