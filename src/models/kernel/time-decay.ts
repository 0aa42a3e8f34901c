/** Time-decay weights for space-time KDE: recent events count more. */
export type TimeDecay = 'exponential' | 'linear';

/**
 * exponential: w = exp(-age / scale) (scale = e-folding time, days);
 * linear: w = max(0, 1 - age / scale) (scale = window length, days).
 */
export function timeDecayWeights(ageDays: Float64Array, decay: TimeDecay, scaleDays: number): Float64Array {
  if (!(scaleDays > 0)) throw new Error(`time-decay scale must be positive days, got ${scaleDays}`);
  const w = new Float64Array(ageDays.length);
  for (let i = 0; i < w.length; i++) {
    const a = Math.max(0, ageDays[i]);
    w[i] = decay === 'exponential' ? Math.exp(-a / scaleDays) : Math.max(0, 1 - a / scaleDays);
  }
  return w;
}
