/**
 * Local civil time ↔ UTC for an IANA time zone, DST-correct, using the platform's tz database (Intl).
 * Intl is slow per call, so UTC offsets are cached per zone and UTC hour: a million conversions cost
 * a few thousand Intl calls.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const HOUR = 3_600_000;

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${tz}" (use an IANA name such as America/Chicago or UTC)`);
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Offset (local − UTC) in ms at a UTC instant. */
export function tzOffsetMs(utcMs: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  let cache = offsetCache.get(tz);
  if (!cache) offsetCache.set(tz, (cache = new Map()));
  const hourKey = Math.floor(utcMs / HOUR);
  let off = cache.get(hourKey);
  if (off === undefined) {
    const f = formatter(tz);
    const at = new Date(hourKey * HOUR);
    let asUtc = wallOfFormat(f.format(at));
    if (asUtc !== asUtc) {
      const parts = f.formatToParts(at);
      const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
      asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    }
    off = asUtc - hourKey * HOUR;
    cache.set(hourKey, off);
  }
  return off;
}

/**
 * The wall clock of an en-US h23 format() text, "M/D/YYYY, HH:MM:SS", as Date.UTC of its parts (what the parts
 * of formatToParts give); NaN for any other shape (the caller then asks formatToParts). format() is 3x faster.
 */
function wallOfFormat(s: string): number {
  const n = [0, 0, 0, 0, 0, 0];
  const sep = [47, 47, 44, 58, 58]; // / / , : :
  let i = 0;
  for (let k = 0; k < 6; k++) {
    const from = i;
    let v = 0;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) v = v * 10 + (c - 48);
    if (i === from || i - from > 4) return NaN;
    n[k] = v;
    if (k === 5) return i === s.length ? Date.UTC(n[2], n[0] - 1, n[1], n[3], n[4], n[5]) : NaN;
    if (s.charCodeAt(i) !== sep[k]) return NaN;
    i += k === 2 ? (s.charCodeAt(i + 1) === 32 ? 2 : NaN) : 1;
    if (i !== i) return NaN;
  }
  return NaN;
}

/**
 * UTC instant of a local wall-clock time. For a time skipped by a spring-forward gap the result is
 * shifted forward by the gap; for an ambiguous fall-back time the earlier (daylight) instant is returned.
 */
export function localToUtc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0, tz = 'UTC'): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (tz === 'UTC' || tz === 'Etc/UTC') return wall;
  // two fixed-point steps settle the offset, including across a transition
  const o1 = tzOffsetMs(wall - tzOffsetMs(wall, tz), tz);
  const guess = wall - o1;
  const o2 = tzOffsetMs(guess, tz);
  if (o2 === o1) {
    // ambiguous hour: prefer the earlier instant if it maps to the same wall time
    const earlier = wall - tzOffsetMs(guess - HOUR, tz);
    if (earlier < guess && earlier + tzOffsetMs(earlier, tz) === wall) return earlier;
    return guess;
  }
  return wall - o2;
}

/** Wall-clock parts of a UTC instant in a zone. */
export function utcToLocalParts(utcMs: number, tz: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const d = new Date(utcMs + tzOffsetMs(utcMs, tz));
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(),
  };
}
