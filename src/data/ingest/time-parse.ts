/**
 * Date-time parsing for incident files. Hand-written (not Date.parse, which is implementation-defined for
 * non-ISO text and always reads local time of the *machine*): it scans char codes once, never allocates, and
 * hands the wall-clock parts to localToUtc so the source's own zone and DST rules decide the instant.
 */
import { localToUtc, tzOffsetMs } from '../../time/zone.js';
import { parseDecimalIn } from './field-range.js';

/** Named formats accepted by --time-format. `auto` recognises all of the text formats below. */
export const TIME_FORMATS = ['auto', 'iso', 'ymd', 'mdy', 'dmy', 'epoch-s', 'epoch-ms'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];
export const TIME_FORMAT_HELP =
  'auto (default), iso / ymd ("2017-07-01 13:45[:00][Z|+hh:mm]", "2018/01/01 1:45 PM"), mdy ("07/01/2017 01:45:00 PM"), ' +
  'dmy ("01/07/2017 13:45"), epoch-s, epoch-ms';

// scratch for the parsed parts: year, month, day, hour, minute, second, ms, has offset, offset minutes, has time
const P = new Float64Array(10);

/**
 * Parse a date or date-time into P. Returns false when the text is not a valid date.
 * Order: a 4-digit first group means Y-M-D; otherwise M/D/Y (or D/M/Y with `dmy`).
 */
const g = new Float64Array(7);
/** Digits in each group: a two-digit-year pivot applies only to a year written with one or two digits. */
const gd = new Uint8Array(7);

function scan(s: string, from: number, len: number, dayFirst: boolean): boolean {
  let gi = -1, firstDigits = 0, fracDigits = 0;
  let ampm = 0, hasOffset = false, offMin = 0;
  let i = from;
  while (i < len) {
    let c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // a whole run of digits is one group
      gi++;
      if (gi > 6) return false;
      let v = 0, digits = 0;
      do { v = v * 10 + (c - 48); digits++; i++; } while (i < len && (c = s.charCodeAt(i)) >= 48 && c <= 57);
      g[gi] = v;
      gd[gi] = digits < 255 ? digits : 254;
      if (gi === 0) firstDigits = digits;
      if (gi === 6) fracDigits = digits;
      continue;
    }
    // the usual separators first (a '-' after the time starts an offset, handled below)
    if (c < 128 && SEPARATOR[c] === 1 && !(c === 45 && gi >= 3)) { i++; continue; }
    if (gi >= 3 && (c === 43 || c === 45)) {
      // +hh:mm / -hhmm offset after the time
      const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(s.slice(i, len).trim());
      if (!m) return false;
      // real UTC offsets run from -12:00 to +14:00 with minutes below 60
      const oh = Number(m[1] === '-' ? -1 : 1) * Number(m[2]), om = Number(m[3] ?? 0);
      if (om >= 60 || Math.abs(oh) > 14 || (Math.abs(oh) === 14 && om > 0)) return false;
      hasOffset = true;
      offMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + om);
      break;
    }
    if ((c === 90 || c === 122) && gi >= 3) { hasOffset = true; offMin = 0; i++; continue; } // Z
    if ((c === 65 || c === 97 || c === 80 || c === 112) && i + 1 < len && (s.charCodeAt(i + 1) | 32) === 109) {
      ampm = (c | 32) === 97 ? 1 : 2;
      i += 2;
      continue;
    }
    return false;
  }
  if (gi < 2) return false;
  let y: number, mo: number, d: number, yDigits: number;
  if (firstDigits === 4) { y = g[0]; mo = g[1]; d = g[2]; yDigits = 4; }
  else if (dayFirst) { d = g[0]; mo = g[1]; y = g[2]; yDigits = gd[2]; }
  else { mo = g[0]; d = g[1]; y = g[2]; yDigits = gd[2]; }
  // "17" is 2017 and "99" 1999, but a written-out "0099" or "0000" is that (impossible) year, not a pivot
  if (yDigits <= 2) y += y < 70 ? 2000 : 1900;
  else if (yDigits !== 4 || y < 1000) return false;
  let h = gi >= 3 ? g[3] : 0;
  const mi = gi >= 4 ? g[4] : 0, sec = gi >= 5 ? g[5] : 0;
  const ms = gi >= 6 ? Math.round(g[6] / 10 ** (fracDigits - 3)) : 0;
  if (ampm) {
    if (h < 1 || h > 12) return false;
    if (ampm === 1 && h === 12) h = 0;
    else if (ampm === 2 && h !== 12) h += 12;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) return false;
  P[0] = y; P[1] = mo; P[2] = d; P[3] = h; P[4] = mi; P[5] = sec; P[6] = ms;
  P[7] = hasOffset ? 1 : 0; P[8] = offMin; P[9] = gi >= 3 ? 1 : 0;
  return true;
}

/** Characters between the numbers of a date-time: - / space : T t . , tab. */
const SEPARATOR = new Uint8Array(128);
for (const ch of '-/ :Tt.,\t') SEPARATOR[ch.charCodeAt(0)] = 1;

const MONTH_DAYS = Uint8Array.of(31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31);

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : MONTH_DAYS[m - 1];
}

/** UTC epoch ms of a date-time text in `tz` (an explicit offset in the text wins); NaN when unparsable. */
export function parseDateTime(s: string, fmt: TimeFormat, tz: string): number {
  return parseDateTimeIn(s, 0, s.length, fmt, tz);
}

/** parseDateTime(src.slice(from, to), fmt, tz), without the slice. */
export function parseDateTimeIn(src: string, from: number, to: number, fmt: TimeFormat, tz: string): number {
  if (fmt === 'epoch-s' || fmt === 'epoch-ms') {
    // decimal only: Number() would also read "0x29", "0b101" and "Infinity"
    const v = parseDecimalIn(src, from, to);
    const ms = fmt === 'epoch-s' ? v * 1000 : v;
    return Number.isFinite(ms) ? ms : NaN;
  }
  if (!scan(src, from, to, fmt === 'dmy')) return NaN;
  if (P[7]) return utcDayMs(P[0], P[1], P[2]) + ((P[3] * 60 + P[4]) * 60 + P[5]) * 1000 + P[6] - P[8] * 60_000;
  return localHourToUtc(P[0], P[1], P[2], P[3], tz) + ((P[4] * 60 + P[5]) * 1000 + P[6]);
}

// UTC instant of a local hour start, by cached offsets. Most local days have one UTC offset throughout: it is
// found once per day and zone (a few Intl calls per day instead of one per distinct hour, which cost 5% of an
// ingest of CHI_Crime.csv). A day on which the offset changes (or that the zone's offset check cannot vouch for)
// keeps a per-hour cache of localToUtc, exact because offset changes fall on whole local hours in the zones police
// data comes from (a skipped hour maps forward by the gap, an ambiguous one to its earlier instant, as localToUtc
// does). test/data/time-parse checks both paths hour by hour against localToUtc across DST years in several zones.
const dayCache = new Map<string, Map<number, number>>();
const hourCache = new Map<string, Map<number, number>>();
const DAY_MS = 86_400_000, HOUR_MS = 3_600_000;

export function localHourToUtc(y: number, mo: number, d: number, h: number, tz: string): number {
  const off = cachedDayOffset(y, mo, d, tz);
  if (off === off) return utcDayMs(y, mo, d) + h * HOUR_MS - off;
  return transitionHourToUtc(y, mo, d, h, tz);
}

/** dayOffset, cached per zone and local day. */
function cachedDayOffset(y: number, mo: number, d: number, tz: string): number {
  let days = dayCache.get(tz);
  if (!days || days.size > 200_000) dayCache.set(tz, (days = new Map()));
  const dayKey = (y * 16 + mo) * 32 + d;
  let off = days.get(dayKey);
  if (off === undefined) days.set(dayKey, (off = dayOffset(y, mo, d, tz)));
  return off;
}

// Day offsets for wallHourToUtc by day number, per zone: a typed array over the days of 1900-2099 (rows of a file
// come in any order, so a Map lookup per row was most of the conversion), a Map beyond.
const DAY_1900 = -25_567, DAYS = 73_049; // days of 1900-01-01 since 1970, and to 2100-01-01
const UNKNOWN = 1e15; // not an offset
interface DayTable { days: Float64Array; beyond: Map<number, number> }
const dayTables = new Map<string, DayTable>();
let lastTz = '', lastTable: DayTable | null = null;

/**
 * localHourToUtc(y, mo, d, h, tz) where wallHour = utcDayMs(y, mo, d) + h hours (the compiled CSV kernel gives
 * local times in this form): the same cached offsets, the same value.
 */
export function wallHourToUtc(wallHour: number, tz: string): number {
  if (tz !== lastTz || lastTable === null) {
    let t = dayTables.get(tz);
    if (!t) dayTables.set(tz, (t = { days: new Float64Array(DAYS).fill(UNKNOWN), beyond: new Map() }));
    lastTz = tz; lastTable = t;
  }
  const day = Math.floor(wallHour / DAY_MS);
  const k = day - DAY_1900;
  let off = k >= 0 && k < DAYS ? lastTable.days[k] : lastTable.beyond.get(day) ?? UNKNOWN;
  if (off === UNKNOWN) {
    const dt = new Date(day * DAY_MS);
    off = cachedDayOffset(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), tz);
    if (k >= 0 && k < DAYS) lastTable.days[k] = off;
    else if (lastTable.beyond.size < 200_000) lastTable.beyond.set(day, off);
  }
  if (off === off) return wallHour - off;
  const dt = new Date(wallHour);
  return transitionHourToUtc(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), dt.getUTCHours(), tz);
}

/** A local hour of a day on which the zone's offset changes: localToUtc, cached per hour. */
function transitionHourToUtc(y: number, mo: number, d: number, h: number, tz: string): number {
  const dayKey = (y * 16 + mo) * 32 + d;
  let m = hourCache.get(tz);
  if (!m || m.size > 500_000) hourCache.set(tz, (m = new Map()));
  const key = dayKey * 24 + h;
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = localToUtc(y, mo, d, h, 0, 0, 0, tz)));
  return v;
}

/**
 * Date.UTC(y, mo - 1, d) for a valid date of year 1000 or later (all that scan lets through), as integer
 * arithmetic: days from the civil date (H. Hinnant's algorithm). Date.UTC was a fifth of parsing an ISO time.
 */
export function utcDayMs(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146097 + doe - 719468) * DAY_MS;
}

/** The UTC offset (ms) that holds for the whole local day, or NaN when it changes within the day (or around it). */
function dayOffset(y: number, mo: number, d: number, tz: string): number {
  const wall = Date.UTC(y, mo - 1, d);
  const off = wall - localToUtc(y, mo, d, 0, 0, 0, 0, tz);
  const start = wall - off;
  // the same offset an hour before midnight (a fall-back right at midnight makes 00:00 ambiguous), at midnight, at
  // noon and at the next midnight: offset changes in the tz database are months apart, never two within 12 hours
  for (const k of [-1, 0, 12, 24]) if (tzOffsetMs(start + k * HOUR_MS, tz) !== off) return NaN;
  return start + DAY_MS === Date.UTC(y, mo - 1, d + 1) - off ? off : NaN;
}

/**
 * UTC epoch ms of a date column plus a separate time-of-day column ("23:45[:00]", "11:45 PM", or LAPD-style
 * integer hhmm such as "1830" or "45" = 00:45). An empty time means local midnight.
 */
export function parseDateAndTime(date: string, time: string, fmt: TimeFormat, tz: string): number {
  if (!scan(date, 0, date.length, fmt === 'dmy')) return NaN;
  const y = P[0], mo = P[1], d = P[2];
  const tod = parseTimeOfDay(time);
  if (Number.isNaN(tod)) return NaN;
  const h = Math.floor(tod / 3_600_000), mi = Math.floor((tod % 3_600_000) / 60_000), sec = Math.floor((tod % 60_000) / 1000);
  return localHourToUtc(y, mo, d, h, tz) + (mi * 60 + sec) * 1000;
}

/** Milliseconds after midnight; NaN when unparsable. */
export function parseTimeOfDay(s: string): number {
  const t = s.trim();
  if (t === '') return 0;
  let m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(t);
  let h: number, mi: number, sec = 0;
  if (m) {
    h = Number(m[1]); mi = Number(m[2]); sec = Number(m[3] ?? 0);
    if (m[4]) {
      if (h < 1 || h > 12) return NaN;
      const pm = m[4][0].toLowerCase() === 'p';
      if (h === 12) h = 0;
      if (pm) h += 12;
    }
  } else if ((m = /^(\d{1,4})$/.exec(t))) {
    const v = Number(m[1]);
    h = Math.floor(v / 100); mi = v % 100;
  } else return NaN;
  if (h > 23 || mi > 59 || sec > 60) return NaN;
  return ((h * 60 + mi) * 60 + sec) * 1000;
}

/** The default window of plausible incident times (years, inclusive); others are rejects ("time-out-of-range"). */
export const DEFAULT_YEARS: readonly [number, number] = [1900, 2100];

/** [from, to) epoch ms of a window of whole years, inclusive of `toYear`. */
export function yearWindowMs(years: readonly [number, number]): [number, number] {
  return [Date.UTC(years[0], 0, 1), Date.UTC(years[1] + 1, 0, 1)];
}

/** True when the last successful parse had a time of day (false: a date-only value, binned at local midnight). */
export function lastHadTime(): boolean {
  return P[9] === 1;
}
