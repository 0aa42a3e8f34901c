/** The contract every patrol policy implements: choose k cells a day, learn from what is observed. */
import type { Rng } from '../../util/rng.js';

export interface PolicyContext {
  regions: number;
  k: number;
  /** Observed (reported) daily counts before the simulation starts: days × regions, row-major. */
  history: Float64Array;
  historyDays: number;
}

export interface PatrolPolicy {
  readonly name: string;
  init(ctx: PolicyContext, rng: Rng): void;
  /** Regions to patrol today (k distinct indices). */
  choose(rng: Rng): Int32Array;
  /** Today's observation (NaN = unobserved) and where patrols were. */
  update(observed: Float64Array, patrolled: Uint8Array): void;
}

/** Indices of the k largest scores (ties by lower index), distinct. */
export function topKIndices(score: ArrayLike<number>, k: number): Int32Array {
  const idx = Array.from({ length: score.length }, (_, i) => i);
  idx.sort((a, b) => score[b] - score[a] || a - b);
  return Int32Array.from(idx.slice(0, k));
}
