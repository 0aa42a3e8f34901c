/** Calendar features of a target period, read in the data's local time zone. */
import { calendarFeatures } from '../time/calendar.js';
import type { PeriodUnit } from '../tensor/count-tensor.js';

export interface CalendarRow {
  dow: number; // 0 = Monday … 6 = Sunday
  month: number; // 1..12
  dayOfYear: number; // 1..366
  holiday: number; // US federal holidays (observed) within the period
}

export function calendarOf(startMs: number, unit: PeriodUnit, tz: string): CalendarRow {
  const f = calendarFeatures(Float64Array.of(startMs), unit, tz);
  return { dow: f.dow[0], month: f.month[0], dayOfYear: f.dayOfYear[0], holiday: f.holiday[0] };
}

export function calendarNames(oneHot: boolean): string[] {
  if (!oneHot) return ['dow', 'month', 'day_of_year', 'holiday'];
  return [...Array.from({ length: 7 }, (_, i) => `dow_${i}`), ...Array.from({ length: 12 }, (_, i) => `month_${i + 1}`), 'holiday'];
}

/** Writes the calendar columns for one row at out[offset…]. */
export function writeCalendar(row: CalendarRow, oneHot: boolean, out: Float32Array, offset: number): void {
  if (!oneHot) {
    out[offset] = row.dow; out[offset + 1] = row.month; out[offset + 2] = row.dayOfYear; out[offset + 3] = row.holiday;
    return;
  }
  for (let i = 0; i < 19; i++) out[offset + i] = 0;
  out[offset + row.dow] = 1;
  out[offset + 7 + row.month - 1] = 1;
  out[offset + 19] = row.holiday;
}
