/**
 * Defaults for an own-data backtest the user did not spell out, chosen so a run on a city's data finishes in
 * minutes: the test span is the last few weeks of the data, and models are refitted weekly (updated in between by
 * the engine). Each default is printed with the flag that changes it.
 */
import { floorToPeriod, stepPeriod, type PeriodUnit } from '../time/bins.js';
import { localDate } from './incident-source.js';

const TEST_PERIODS: Record<PeriodUnit, number> = { hour: 168, day: 28, week: 12, month: 6 };
const REFIT_EVERY: Record<PeriodUnit, number> = { hour: 24, day: 7, week: 4, month: 1 };

/** First local date of the default test span: the last TEST_PERIODS[unit] periods up to the last incident. */
export function defaultTestFrom(times: ArrayLike<number>, unit: PeriodUnit, tz: string): { testFrom: string; note: string } {
  let tMax = -Infinity;
  for (let i = 0; i < times.length; i++) if (times[i] > tMax) tMax = times[i];
  const start = stepPeriod(floorToPeriod(tMax, unit, tz), unit, tz, 1 - TEST_PERIODS[unit]);
  const testFrom = localDate(start, tz);
  return { testFrom, note: `default test span: the last ${TEST_PERIODS[unit]} ${unit}s of the data, from ${testFrom} (choose with --test-from)` };
}

export function defaultRefitEvery(unit: PeriodUnit): { refitEvery: number; note: string } {
  const k = REFIT_EVERY[unit];
  return { refitEvery: k, note: `default refit cadence: every ${k} ${unit}${k === 1 ? '' : 's'}, models updated with each new ${unit} in between (choose with --refit-every)` };
}
