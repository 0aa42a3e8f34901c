/**
 * Per-cell context for the learning policies, updated only from what is observed: exponential moving averages of
 * the observed daily count with ~7- and ~28-day memories, the last observed count, and whether the cell was
 * patrolled yesterday (patrols deter, so a patrolled cell's observed count is biased low).
 */
export const FEATURE_NAMES = ['bias', 'ema7', 'ema28', 'last', 'patrolledYesterday'] as const;
export const FEATURE_DIM = FEATURE_NAMES.length;

export class CellFeatures {
  readonly ema7: Float64Array;
  readonly ema28: Float64Array;
  readonly last: Float64Array;
  readonly patrolled: Uint8Array;

  constructor(readonly regions: number) {
    this.ema7 = new Float64Array(regions);
    this.ema28 = new Float64Array(regions);
    this.last = new Float64Array(regions);
    this.patrolled = new Uint8Array(regions);
  }

  /** Warm the averages on unpatrolled history (days × regions). */
  warm(history: Float64Array, days: number): void {
    const none = new Uint8Array(this.regions);
    for (let d = 0; d < days; d++) this.observe(history.subarray(d * this.regions, (d + 1) * this.regions), none);
  }

  observe(observed: ArrayLike<number>, patrolled: Uint8Array): void {
    for (let r = 0; r < this.regions; r++) {
      this.patrolled[r] = patrolled[r];
      const y = observed[r];
      if (Number.isNaN(y)) continue;
      this.ema7[r] += (2 / 8) * (y - this.ema7[r]);
      this.ema28[r] += (2 / 29) * (y - this.ema28[r]);
      this.last[r] = y;
    }
  }

  /** Feature vector of cell r into out[0..FEATURE_DIM). */
  vector(r: number, out: Float64Array): Float64Array {
    out[0] = 1; out[1] = this.ema7[r]; out[2] = this.ema28[r]; out[3] = this.last[r]; out[4] = this.patrolled[r];
    return out;
  }
}
