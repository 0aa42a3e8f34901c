/** A period still running is not history: the forecast starts with it and its incidents so far are left out. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forecastOrigin } from '../../src/forecast/origin.js';
import { localDateToUtc } from '../../src/time/bins.js';

const TZ = 'America/Chicago';
const HOUR = 3_600_000, DAY = 24 * HOUR;

describe('forecastOrigin', () => {
  const day0 = localDateToUtc('2024-03-05', TZ);
  it('a day that has ended is history: the forecast starts the next day', () => {
    const o = forecastOrigin([day0 - 5 * HOUR, day0 + 20 * HOUR], 'day', TZ, day0 + 30 * HOUR);
    expect(o).toEqual({ cutoff: day0 + DAY });
  });
  it('incidents of a day still running are counted as partial, not trained on', () => {
    const o = forecastOrigin([day0 - 5 * HOUR, day0 + 8 * HOUR, day0 + 9 * HOUR], 'day', TZ, day0 + 10 * HOUR);
    expect(o).toEqual({ cutoff: day0, partial: { periodStart: day0, incidents: 2 } });
  });
  it('weeks: a week that has not ended is partial even days after its last incident', () => {
    const monday = localDateToUtc('2024-03-04', TZ);
    const o = forecastOrigin([monday - DAY, monday + 2 * DAY], 'week', TZ, monday + 4 * DAY);
    expect(o.cutoff).toBe(monday);
    expect(o.partial?.incidents).toBe(1);
  });
  it('data that lag the clock start the forecast at the current period with nothing left out', () => {
    const o = forecastOrigin([day0 + 3 * HOUR], 'day', TZ, day0 + 3 * DAY);
    expect(o).toEqual({ cutoff: day0 + DAY });
  });
});

describe('crimecast forecast in real time', () => {
  it('leaves today\'s incidents so far out of training and says so', () => {
    const now = Date.now() - 1000;
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: true });
    const stamp = (t: number) => {
      const p = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
      return { line: `${p.month}/${p.day}/${p.year} ${p.hour}:${p.minute}:${p.second} ${p.dayPeriod}`, date: `${p.year}-${p.month}-${p.day}` };
    };
    const today = stamp(now).date;
    const rows: string[] = [];
    // 30 past days × 5 incidents at local noon, then 2 incidents today before now
    for (let d = 30; d >= 1; d--) {
      const noon = localDateToUtc(stamp(now - d * DAY).date, TZ) + 12 * HOUR;
      for (let k = 0; k < 5; k++) rows.push(`${stamp(noon + k * 60_000).line},THEFT,${(41.85 + 0.01 * k).toFixed(5)},-87.65`);
    }
    rows.push(`${stamp(now).line},THEFT,41.85,-87.65`, `${stamp(now).line},THEFT,41.86,-87.65`);
    const dir = mkdtempSync(join(tmpdir(), 'origin-'));
    writeFileSync(join(dir, 'live.csv'), rows.join('\n') + '\n');
    const out = JSON.parse(execFileSync('node', ['bin/crimecast.js', 'forecast', '--input', join(dir, 'live.csv'), '--preset', 'stshn-chicago',
      '--units', 'grid:2000', '--model', 'moving-average:window=7', '--horizon', '1', '--out', join(dir, 'f.geojson'), '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(out.from).toBe(today);
    expect(out.partialPeriodLeftOut).toMatchObject({ from: today, incidents: 2 });
    expect(out.trainedOn.incidents).toBe(150);
    // trained on complete days only: a 7-day moving average of 5 a day forecasts 5, not (5·6 + 2)/7
    expect(out.expectedTotal).toBeCloseTo(5, 6);
  }, 60_000);
});
