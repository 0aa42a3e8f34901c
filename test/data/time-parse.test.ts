import { describe, expect, it } from 'vitest';
import { localHourToUtc, parseDateAndTime, parseDateTime, parseTimeOfDay } from '../../src/data/ingest/time-parse.js';
import { localToUtc } from '../../src/time/zone.js';

const CHI = 'America/Chicago';

describe('parseDateTime', () => {
  it('reads 12-hour M/D/Y local times in the source zone', () => {
    expect(new Date(parseDateTime('10/12/2017 07:14:00 PM', 'mdy', CHI)).toISOString()).toBe('2017-10-13T00:14:00.000Z');
    expect(new Date(parseDateTime('01/01/2016 12:00:00 AM', 'auto', CHI)).toISOString()).toBe('2016-01-01T06:00:00.000Z');
    expect(new Date(parseDateTime('6/15/2016 12:31:00 PM', 'auto', 'America/Denver')).toISOString()).toBe('2016-06-15T18:31:00.000Z');
  });

  it('reads ISO and Y/M/D forms, honouring an explicit offset', () => {
    expect(new Date(parseDateTime('2017-07-01T13:45:00', 'iso', CHI)).toISOString()).toBe('2017-07-01T18:45:00.000Z');
    expect(new Date(parseDateTime('2017-07-01 13:45:30.250Z', 'auto', CHI)).toISOString()).toBe('2017-07-01T13:45:30.250Z');
    expect(new Date(parseDateTime('2017-07-01T13:45:00-07:00', 'auto', CHI)).toISOString()).toBe('2017-07-01T20:45:00.000Z');
    expect(new Date(parseDateTime('2018/01/01 01:45:00 PM', 'auto', 'America/Los_Angeles')).toISOString()).toBe('2018-01-01T21:45:00.000Z');
    expect(new Date(parseDateTime('2016-08-10', 'ymd', 'America/Los_Angeles')).toISOString()).toBe('2016-08-10T07:00:00.000Z');
  });

  it('is DST-correct across the spring-forward and fall-back transitions', () => {
    // 2017-03-12 01:59 CST → 07:59Z; 03:00 CDT → 08:00Z (one minute later)
    expect(parseDateTime('03/12/2017 03:00:00 AM', 'mdy', CHI) - parseDateTime('03/12/2017 01:59:00 AM', 'mdy', CHI)).toBe(60_000);
    // the ambiguous 01:30 on 2017-11-05 resolves to the earlier (daylight) instant
    expect(new Date(parseDateTime('11/05/2017 01:30:00 AM', 'mdy', CHI)).toISOString()).toBe('2017-11-05T06:30:00.000Z');
  });

  it('rejects impossible dates and junk', () => {
    for (const s of ['13/45/2017 09:00:00 PM', '02/30/2017', '2017-02-29', '', 'yesterday', '10/12/2017 13:00:00 PM', '10/12/2017 24:00'])
      expect(parseDateTime(s, 'auto', CHI), s).toBeNaN();
    expect(parseDateTime('2016-02-29', 'auto', CHI)).not.toBeNaN();
  });

  it('reads day-first dates and epochs', () => {
    expect(new Date(parseDateTime('01/07/2017 13:45', 'dmy', 'UTC')).toISOString()).toBe('2017-07-01T13:45:00.000Z');
    expect(parseDateTime('1500000000', 'epoch-s', CHI)).toBe(1.5e12);
    expect(parseDateTime('1500000000123', 'epoch-ms', CHI)).toBe(1500000000123);
  });
});

describe('date + time-of-day columns', () => {
  it('reads NYPD-style hh:mm:ss and LAPD-style hhmm integers', () => {
    expect(new Date(parseDateAndTime('12/31/2015', '23:45:00', 'mdy', 'America/New_York')).toISOString()).toBe('2016-01-01T04:45:00.000Z');
    expect(new Date(parseDateAndTime('03/01/2020 12:00:00 AM', '2130', 'mdy', 'America/Los_Angeles')).toISOString()).toBe('2020-03-02T05:30:00.000Z');
    expect(parseTimeOfDay('45')).toBe(45 * 60_000);
    expect(parseTimeOfDay('11:05 PM')).toBe((23 * 60 + 5) * 60_000);
    expect(parseTimeOfDay('12:05 AM')).toBe(5 * 60_000);
    expect(parseTimeOfDay('2460')).toBeNaN();
    expect(parseDateAndTime('12/31/2015', 'noon', 'mdy', 'America/New_York')).toBeNaN();
  });
});

describe('hostile values (issue 20)', () => {
  it('reads 4-digit years literally: 0000-0999 are invalid, never pivoted to 19xx/20xx', () => {
    for (const s of ['0000-09-05 12:00', '0001-01-01', '0099-12-31 23:59', '09/05/0001 12:00', '09/05/0099'])
      expect(parseDateTime(s, 'auto', CHI), s).toBeNaN();
    expect(new Date(parseDateTime('09/05/17 12:00', 'mdy', 'UTC')).toISOString()).toBe('2017-09-05T12:00:00.000Z');
    expect(new Date(parseDateTime('09/05/99 12:00', 'mdy', 'UTC')).toISOString()).toBe('1999-09-05T12:00:00.000Z');
    expect(parseDateTime('09/05/017 12:00', 'mdy', 'UTC')).toBeNaN();
  });

  it('accepts UTC offsets only within -14:00..+14:00 with minutes below 60', () => {
    for (const off of ['+25:00', '+99:99', '+14:30', '-05:60', '+15'])
      expect(parseDateTime(`2017-09-05T12:00:00${off}`, 'auto', CHI), off).toBeNaN();
    expect(new Date(parseDateTime('2017-09-05T12:00:00+14:00', 'auto', CHI)).toISOString()).toBe('2017-09-04T22:00:00.000Z');
    expect(new Date(parseDateTime('2017-09-05T12:00:00-0930', 'auto', CHI)).toISOString()).toBe('2017-09-05T21:30:00.000Z');
  });

  it('reads epochs as decimals only', () => {
    for (const s of ['0x1F', '0b101', '0o17', 'Infinity', '1e400', '', ' '])
      expect(parseDateTime(s, 'epoch-ms', CHI), s).toBeNaN();
    expect(parseDateTime('1.5e12', 'epoch-ms', CHI)).toBe(1.5e12);
    expect(parseDateTime('-1000', 'epoch-s', CHI)).toBe(-1e6);
  });
});

describe('localHourToUtc (offsets cached per local day, per hour on transition days)', () => {
  it('equals localToUtc for every hour of 2015–2018 in zones with DST, half-hour and midnight transitions', () => {
    for (const tz of ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'America/St_Johns', 'America/Havana', 'America/Santiago', 'Asia/Kolkata', 'UTC']) {
      let bad = 0;
      for (let y = 2015; y <= 2018; y++) for (let mo = 1; mo <= 12; mo++) {
        const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
        for (let d = 1; d <= days; d++) for (let h = 0; h < 24; h++) if (localHourToUtc(y, mo, d, h, tz) !== localToUtc(y, mo, d, h, 0, 0, 0, tz)) bad++;
      }
      expect(bad, tz).toBe(0);
    }
  });
});
