/**
 * The time frame a point-process model is fitted in: event times are in days since the window start,
 * the window ends at the history's cut-off (end of the tensor's last period).
 */
import type { CountTensor, PeriodUnit } from '../../tensor/count-tensor.js';

export const DAY_MS = 86_400_000;

const NOMINAL_MS: Record<PeriodUnit, number> = {
  hour: 3_600_000,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30.436875 * DAY_MS,
};

/** Length of the tensor's last period (the forecast periods are taken to have the same length). */
export function lastPeriodMs(t: CountTensor): number {
  const P = t.periods;
  if (P >= 2) return t.periodStart[P - 1] - t.periodStart[P - 2];
  return NOMINAL_MS[t.unit];
}

export interface FitWindow {
  /** UTC ms of day 0. */
  startMs: number;
  /** UTC ms of the cut-off (exclusive end of the history). */
  endMs: number;
  /** Window length in days. */
  T: number;
  /** Forecast period length in days. */
  periodDays: number;
  /** First tensor period inside the window. */
  firstPeriod: number;
}

/** Window covering the last `windowDays` days of history (0 = all of it), aligned to a period start. */
export function fitWindow(t: CountTensor, windowDays: number): FitWindow {
  if (t.periods < 1) throw new Error('point-process models need at least one period of history');
  const dt = lastPeriodMs(t);
  const endMs = t.periodStart[t.periods - 1] + dt;
  let firstPeriod = 0;
  if (windowDays > 0) {
    const from = endMs - windowDays * DAY_MS;
    while (firstPeriod < t.periods - 1 && t.periodStart[firstPeriod] < from) firstPeriod++;
  }
  const startMs = t.periodStart[firstPeriod];
  return { startMs, endMs, T: (endMs - startMs) / DAY_MS, periodDays: dt / DAY_MS, firstPeriod };
}
