/** One shift's patrol-allocation problem and its solution (integer dosage = patrol units or patrol hours per region). */
import { UserError } from '../../util/errors.js';
import { coveredFraction, type CoverageModel } from './coverage-model.js';

export interface GroupCap {
  name: string;
  /** Per-region membership weight in [0, 1] (1 = fully in the group). */
  weights: ArrayLike<number>;
  /** Largest share of the shift's dosage budget the group may receive: Σ_r w_r·d_r ≤ maxShare · units. */
  maxShare: number;
}

/** Travel constraint: each patrol supplies one unit of dosage to exactly one region it can reach. */
export interface PatrolReach {
  /** Region indices patrol p can reach (e.g. within a travel radius of its base). */
  reach: Int32Array[];
}

export interface AllocationProblem {
  /** Expected crime λ_r per region in this shift. */
  expected: ArrayLike<number>;
  /** Dosage budget (patrol units × hours); ignored when `patrols` is given (budget = patrol count). */
  units: number;
  model: CoverageModel;
  minDosage?: ArrayLike<number> | number;
  maxDosage?: ArrayLike<number> | number;
  groups?: GroupCap[];
  patrols?: PatrolReach;
}

export interface AllocationResult {
  dosage: Int32Array;
  /** Expected crime covered Σ λ_r f(d_r). */
  covered: number;
  method: 'greedy' | 'mip';
  /** Only for travel-constrained problems: the region patrol p was sent to. */
  patrolRegion?: Int32Array;
}

export interface ResolvedBounds { lo: Int32Array; hi: Int32Array; budget: number }

function perRegion(v: ArrayLike<number> | number | undefined, R: number, fallback: number): Float64Array {
  if (v === undefined) return new Float64Array(R).fill(fallback);
  if (typeof v === 'number') return new Float64Array(R).fill(v);
  if (v.length !== R) throw new UserError(`per-region dosage bound has ${v.length} values for ${R} regions`);
  return Float64Array.from(v);
}

/** Integer bounds per region, clipped to the budget; throws when the minimums alone exceed the budget. */
export function resolveBounds(p: AllocationProblem): ResolvedBounds {
  const R = p.expected.length;
  const budget = p.patrols ? p.patrols.reach.length : Math.floor(p.units);
  if (!(budget >= 0)) throw new UserError('the dosage budget must be a non-negative integer');
  const lo = new Int32Array(R), hi = new Int32Array(R);
  const mn = perRegion(p.minDosage, R, 0), mx = perRegion(p.maxDosage, R, budget);
  let sumLo = 0;
  for (let r = 0; r < R; r++) {
    lo[r] = Math.ceil(mn[r]);
    hi[r] = Math.min(Math.floor(mx[r]), budget);
    if (lo[r] < 0 || hi[r] < lo[r]) throw new UserError(`region ${r}: dosage bounds [${mn[r]}, ${mx[r]}] are empty`);
    sumLo += lo[r];
  }
  if (sumLo > budget) throw new UserError(`the minimum dosages need ${sumLo} units but only ${budget} are available`);
  for (const g of p.groups ?? []) {
    if (g.weights.length !== R) throw new UserError(`group "${g.name}" has ${g.weights.length} weights for ${R} regions`);
    if (!(g.maxShare >= 0)) throw new UserError(`group "${g.name}": maxShare must be ≥ 0`);
  }
  return { lo, hi, budget };
}

export function coveredBy(p: AllocationProblem, dosage: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < dosage.length; r++) s += p.expected[r] * coveredFraction(p.model, dosage[r]);
  return s;
}
