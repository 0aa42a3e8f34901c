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

/**
 * What the run will do, said before it starts (the engine fits at the first test period and every `refitEvery`
 * after it, and updates the models with each period in between): how much work per model, on how large a tensor.
 * Progress lines with an ETA follow once it runs.
 */
export function runPlanNote(models: number, testPeriods: number, refitEvery: number, horizon: number, tensor: { regions: number; categories: number; periods: number; unit: string }): string {
  // the engine's loop (evaluate/backtest/engine.ts): an origin every `horizon` periods, a fit when k have passed
  let fits = 0, updates = 0, lastFit = -Infinity;
  for (let t = 0; t < testPeriods; t += horizon) {
    if (t - lastFit >= refitEvery) { fits++; lastFit = t; } else updates++;
  }
  const cells = tensor.regions * tensor.categories;
  return `plan: ${models} model${models === 1 ? '' : 's'} × ${fits} fit${fits === 1 ? '' : 's'} and ${updates} update${updates === 1 ? '' : 's'} each over ${testPeriods} test ${tensor.unit}s${horizon > 1 ? ` (an origin every ${horizon})` : ''}, ` +
    `on ${tensor.regions.toLocaleString('en-US')} regions × ${tensor.categories} categor${tensor.categories === 1 ? 'y' : 'ies'} × ${tensor.periods} ${tensor.unit}s ` +
    `(${(cells * tensor.periods).toLocaleString('en-US')} cell-${tensor.unit}s); a fit costs most, so fewer fits (--refit-every) or regions (--units) shorten it`;
}
