/**
 * One phrase for what a forecast map's number is, used by the legend and every tooltip alike: expected incidents per
 * cell (or area, for polygons) per period, with the dates the forecast covers. Older saved forecasts without the
 * per-period column are divided here by the number of periods their `crimecast` member states.
 */
import type { FC } from './map.js';

export interface ForecastMeta { from?: string; to?: string; periods?: number; unit?: string; units?: string }

export interface UnitsPhrase {
  /** "expected incidents per cell per day" */
  measure: string;
  /** "average over 7 days, 2024-03-11 to 2024-03-17" */
  span: string;
  /** The value mapped, per feature. */
  value(p: Record<string, unknown>): number;
  /** Incidents over the whole horizon, per feature. */
  total(p: Record<string, unknown>): number;
  periods: number;
  unit: string;
}

/** The last day a local ISO end instant (exclusive) covers: the day before when it is midnight. */
export function lastDay(endIso: string): string {
  const [date, time = ''] = endIso.split('T');
  if (!/^00:00(:00)?/.test(time)) return date;
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

export function unitsPhrase(fc: FC & { crimecast?: ForecastMeta }, unitsSpec: string): UnitsPhrase {
  const meta = fc.crimecast ?? {};
  const first = fc.features[0]?.properties ?? {};
  const unit = String(first.period_unit ?? meta.unit ?? 'period');
  const periods = Number(first.periods ?? meta.periods ?? 1) || 1;
  const from = String(first.period_start ?? meta.from ?? '');
  const to = String(first.period_end ?? meta.to ?? '');
  const where = /^(grid|h3)\b/.test(unitsSpec) ? 'cell' : 'area';
  const hourly = unit === 'hour';
  const dates = from && to ? (hourly ? `${from.slice(0, 16).replace('T', ' ')} to ${to.slice(0, 16).replace('T', ' ')}` : `${from.slice(0, 10)} to ${lastDay(to)}`) : 'dates not recorded';
  const total = (p: Record<string, unknown>) => Number(p.expected_total ?? p.expected);
  return {
    measure: `expected incidents per ${where} per ${unit}`,
    span: periods > 1 ? `average over ${periods} ${unit}s, ${dates}` : dates,
    value: (p) => (p.expected_per_period !== undefined ? Number(p.expected_per_period) : total(p) / periods),
    total, periods, unit,
  };
}
