/** Parses a forecast horizon such as "7d", "2w", "24h", "1m" or a bare number of periods into periods of a unit. */
import type { PeriodUnit } from '../tensor/count-tensor.js';
import { UserError } from '../util/errors.js';

const HOURS: Record<string, number> = { h: 1, d: 24, w: 168 };

export function parseHorizon(text: string, unit: PeriodUnit): number {
  const m = /^\s*(\d+)\s*([hdwm]?)\s*$/i.exec(text);
  if (!m) throw new UserError(`--horizon "${text}": use a number of periods or a duration like 7d, 2w, 24h, 3m`);
  const n = Number(m[1]);
  const u = m[2].toLowerCase();
  if (n <= 0) throw new UserError(`--horizon must be positive, got "${text}"`);
  if (u === '') return n;
  if (u === 'm') {
    if (unit === 'month') return n;
    throw new UserError(`--horizon ${text}: months only make sense with --period month`);
  }
  if (unit === 'month') throw new UserError(`--horizon ${text}: with --period month give months (e.g. 1m) or a number`);
  const perPeriod = unit === 'hour' ? 1 : unit === 'day' ? 24 : 168;
  const hours = n * HOURS[u];
  if (hours % perPeriod !== 0) throw new UserError(`--horizon ${text} is not a whole number of ${unit}s`);
  return hours / perPeriod;
}

/** "5%" or "0.05" → 0.05. */
export function parseCoverage(text: string): number {
  const s = text.trim();
  const v = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
  if (!(v > 0 && v <= 1)) throw new UserError(`coverage "${text}": give a share of the area such as 5% or 0.05`);
  return v;
}
