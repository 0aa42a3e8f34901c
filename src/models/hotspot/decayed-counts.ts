/**
 * The time scales of a cell's rate: counts weighted by an exponential decay with a half-life in periods
 * (Infinity = the plain long-run count), with the matching weighted exposure, so rate = counts / exposure.
 * One pass over the history; optional snapshots at earlier cut-offs serve the model's own validation.
 */
import type { CountTensor } from '../../tensor/count-tensor.js';

export interface DecayedCounts {
  /** Σ_p g^(end−1−p) y[p][r][c] over periods p < end (regions × categories). */
  counts: Float64Array;
  /** Σ_p g^(end−1−p): the weighted number of periods behind `counts`. */
  exposure: number;
}

/** Per-period decay factor of a half-life in periods (1 = no decay). */
export function decayOf(halfLife: number): number {
  if (!(halfLife > 0)) throw new RangeError(`half-life must be > 0 periods, got ${halfLife}`);
  return Number.isFinite(halfLife) ? Math.pow(0.5, 1 / halfLife) : 1;
}

/**
 * Decayed counts of `t` at each cut-off in `ends` (ascending, each ≤ t.periods): snapshot k covers periods
 * [0, ends[k]). The pass stops at the last cut-off.
 */
export function decayedCountsAt(t: CountTensor, halfLife: number, ends: number[]): DecayedCounts[] {
  const RC = t.regions * t.categories, g = decayOf(halfLife);
  const acc = new Float64Array(RC);
  const out: DecayedCounts[] = [];
  let exposure = 0, p = 0;
  for (const end of ends) {
    if (end < p || end > t.periods) throw new RangeError(`decayedCountsAt: cut-offs must ascend within [0, ${t.periods}], got ${end}`);
    for (; p < end; p++) {
      const y = t.data.subarray(p * RC, (p + 1) * RC);
      if (g === 1) for (let i = 0; i < RC; i++) acc[i] += y[i];
      else for (let i = 0; i < RC; i++) acc[i] = g * acc[i] + y[i];
      exposure = g * exposure + 1;
    }
    out.push({ counts: acc.slice(), exposure });
  }
  return out;
}

/** Decayed counts over the whole history. */
export function decayedCounts(t: CountTensor, halfLife: number): DecayedCounts {
  return decayedCountsAt(t, halfLife, [t.periods])[0];
}
