/** Start instant of period p of a tensor, extrapolating past the last period in local calendar steps (DST-safe). */
import type { CountTensor } from '../tensor/count-tensor.js';
import { stepPeriod } from '../time/bins.js';

export function periodStartAt(t: CountTensor, p: number): number {
  if (p < t.periods) return t.periodStart[p];
  if (t.periods === 0) throw new RangeError('cannot extrapolate periods of an empty tensor');
  return stepPeriod(t.periodStart[t.periods - 1], t.unit, t.tz, p - (t.periods - 1));
}
