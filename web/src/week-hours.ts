/**
 * Time-of-day × day-of-week counts of incidents in the dataset's own time zone. The store keeps one time per incident
 * (no from–to window), so each incident counts once at its recorded hour: the aoristic split of an incident over
 * its possible window reduces to this when the window is a single instant.
 */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface WeekHours {
  /** counts[day * 24 + hour], day 0 = Monday, local time. */
  counts: Float64Array;
  total: number;
  /** Times that could not be read (shown beside the chart, never dropped silently). */
  skipped: number;
}

export function weekHourCounts(times: Iterable<string>, tz: string): WeekHours {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  const counts = new Float64Array(7 * 24);
  let total = 0, skipped = 0;
  for (const t of times) {
    const ms = Date.parse(t);
    if (!Number.isFinite(ms)) { skipped++; continue; }
    let day = -1, hour = -1;
    for (const part of f.formatToParts(ms)) {
      if (part.type === 'weekday') day = WEEKDAYS.indexOf(part.value as (typeof WEEKDAYS)[number]);
      else if (part.type === 'hour') hour = Number(part.value) % 24;
    }
    if (day < 0 || hour < 0) { skipped++; continue; }
    counts[day * 24 + hour]++;
    total++;
  }
  return { counts, total, skipped };
}
