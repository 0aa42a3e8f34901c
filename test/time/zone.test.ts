import { describe, it, expect } from 'vitest';
import { localToUtc, utcToLocalParts, tzOffsetMs } from '../../src/time/zone.js';
import { Rng } from '../../src/util/rng.js';

describe('time zones', () => {
  it('converts Chicago local time to UTC across DST', () => {
    // 2017-01-15 12:00 CST = 18:00 UTC; 2017-07-15 12:00 CDT = 17:00 UTC
    expect(localToUtc(2017, 1, 15, 12, 0, 0, 0, 'America/Chicago')).toBe(Date.UTC(2017, 0, 15, 18));
    expect(localToUtc(2017, 7, 15, 12, 0, 0, 0, 'America/Chicago')).toBe(Date.UTC(2017, 6, 15, 17));
  });
  it('handles the spring-forward gap and the fall-back overlap', () => {
    // 2017-03-12 02:30 does not exist in Chicago: shifted forward to 03:30 CDT = 08:30 UTC
    expect(localToUtc(2017, 3, 12, 2, 30, 0, 0, 'America/Chicago')).toBe(Date.UTC(2017, 2, 12, 8, 30));
    // 2017-11-05 01:30 happens twice: the earlier (CDT, UTC-5) instant is 06:30 UTC
    expect(localToUtc(2017, 11, 5, 1, 30, 0, 0, 'America/Chicago')).toBe(Date.UTC(2017, 10, 5, 6, 30));
  });
  it('round-trips through local parts', () => {
    const t = Date.UTC(2016, 5, 1, 3, 15);
    const p = utcToLocalParts(t, 'America/Chicago');
    expect(p).toMatchObject({ year: 2016, month: 5, day: 31, hour: 22, minute: 15 });
    expect(tzOffsetMs(t, 'America/Chicago')).toBe(-5 * 3600_000);
    expect(() => tzOffsetMs(t, 'Mars/Base')).toThrow(/unknown time zone/);
  });
  it('tzOffsetMs (read from format()) equals the offset formatToParts gives, at 2,000 random hours in ten zones', () => {
    const rng = new Rng(3);
    const zones = ['America/Chicago', 'Australia/Melbourne', 'Asia/Kolkata', 'Europe/London', 'UTC', 'Pacific/Chatham', 'America/St_Johns',
      'Asia/Kathmandu', 'Africa/Casablanca', 'Pacific/Kiritimati'];
    for (const tz of zones) {
      const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      for (let k = 0; k < 2000; k++) {
        const t = Math.floor((-2e12 + rng.random() * 6e12) / 3_600_000) * 3_600_000;
        const parts = f.formatToParts(new Date(t));
        const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
        const want = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - t;
        expect(tzOffsetMs(t, tz), `${tz} at ${new Date(t).toISOString()}`).toBe(want);
      }
    }
  });
});
