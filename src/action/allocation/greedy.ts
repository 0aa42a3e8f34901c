/**
 * Marginal-gain greedy for  max Σ_r λ_r f(d_r)  s.t.  Σ d_r ≤ U,  lo_r ≤ d_r ≤ hi_r,  d integer,  f concave.
 *
 * Exact: for a separable concave objective over a single budget with box bounds, the optimum takes the U − Σlo
 * largest increments λ_r·(f(j) − f(j−1)) above the minimums (Gross 1956; Ibaraki & Katoh 1988, "Resource
 * Allocation Problems", Thm 4.1.1). Proof sketch: increments within a region are non-increasing, so any set of
 * the k largest increments is a prefix in every region, hence a feasible dosage; any feasible dosage's objective
 * is a sum of k increments, which cannot exceed the k largest. Non-positive increments are never taken.
 * Not exact once group caps or travel constraints couple regions — those go to the MIP.
 */
import { incrementGain } from './coverage-model.js';
import { coveredBy, resolveBounds, type AllocationProblem, type AllocationResult } from './problem.js';

export function greedyAllocate(p: AllocationProblem): AllocationResult {
  const { lo, hi, budget } = resolveBounds(p);
  const R = lo.length;
  const dosage = Int32Array.from(lo);
  let left = budget - lo.reduce((a, b) => a + b, 0);
  // candidate increments above the minimums: (gain, region)
  let n = 0;
  for (let r = 0; r < R; r++) n += Math.max(0, Math.min(hi[r], lo[r] + left) - lo[r]);
  const gain = new Float64Array(n), region = new Int32Array(n);
  n = 0;
  for (let r = 0; r < R; r++) {
    const top = Math.min(hi[r], lo[r] + left);
    for (let j = lo[r] + 1; j <= top; j++) { gain[n] = p.expected[r] * incrementGain(p.model, j); region[n++] = r; }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => gain[b] - gain[a] || region[a] - region[b]);
  for (const i of order) {
    if (left === 0 || !(gain[i] > 0)) break;
    dosage[region[i]]++;
    left--;
  }
  return { dosage, covered: coveredBy(p, dosage), method: 'greedy' };
}
