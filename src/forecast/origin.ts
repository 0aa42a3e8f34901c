/**
 * Where a real-time forecast starts. The period holding the last incident is complete only once it has ended:
 * if it is still running (today, this week), its incidents so far are a partial count, and training on it as a
 * complete period drags the forecast down (two incidents by 9 am look like a quiet day). So the forecast origin is
 * the start of the current period, and incidents inside it are left out of training and reported.
 */
import { floorToPeriod, stepPeriod, type PeriodUnit } from '../time/bins.js';

export interface ForecastOrigin {
  /** Start of the first forecast period (UTC ms): training uses incidents strictly before it. */
  cutoff: number;
  /** Set when the last period with data had not ended at `now`: its start and how many incidents it held. */
  partial?: { periodStart: number; incidents: number };
}

export function forecastOrigin(times: ArrayLike<number>, unit: PeriodUnit, tz: string, now: number = Date.now()): ForecastOrigin {
  let tMax = -Infinity;
  for (let i = 0; i < times.length; i++) if (times[i] > tMax) tMax = times[i];
  const lastEnd = stepPeriod(floorToPeriod(tMax, unit, tz), unit, tz);
  if (lastEnd <= now) return { cutoff: lastEnd };
  const cutoff = floorToPeriod(now, unit, tz);
  let incidents = 0;
  for (let i = 0; i < times.length; i++) if (times[i] >= cutoff) incidents++;
  return { cutoff, partial: { periodStart: cutoff, incidents } };
}

/** The sentence users see when a partial period was left out. */
export function partialPeriodNote(o: ForecastOrigin, unit: PeriodUnit, describe: (ms: number) => string): string | undefined {
  if (!o.partial) return undefined;
  return `the current ${unit} (from ${describe(o.partial.periodStart)}) has not ended: its ${o.partial.incidents} incident(s) so far are not trained on as a complete ${unit}; the forecast starts with this ${unit}`;
}
