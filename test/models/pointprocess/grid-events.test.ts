import { describe, expect, it } from 'vitest';
import { createTensor } from '../../../src/tensor/count-tensor.js';
import { gridEventsFromHistory } from '../../../src/models/pointprocess/grid-events.js';
import { fitWindow, lastPeriodMs } from '../../../src/models/pointprocess/time-window.js';

const DAY = 86_400_000, T0 = Date.UTC(2022, 0, 3);

function weekly(periods: number, data: number[]) {
  return createTensor({
    periods, regions: 2, categories: 1, categoryNames: ['x'], regionIds: ['a', 'b'],
    periodStart: Float64Array.from({ length: periods }, (_, p) => T0 + 7 * p * DAY), unit: 'week', tz: 'UTC',
  }, Float32Array.from(data));
}

describe('fit window', () => {
  it('ends at the cut-off and keeps whole periods within the window', () => {
    const t = weekly(10, new Array(20).fill(0));
    expect(lastPeriodMs(t)).toBe(7 * DAY);
    const all = fitWindow(t, 0);
    expect(all.T).toBe(70);
    expect(all.periodDays).toBe(7);
    const w = fitWindow(t, 20); // 20 days back from day 70 → first period starting at or after day 50
    expect(w.firstPeriod).toBe(8);
    expect(w.T).toBe(14);
    expect(w.endMs).toBe(T0 + 70 * DAY);
  });
});

describe('events from counts', () => {
  // period 0: region a 2, region b 0; period 1: a 0, b 3
  const tensor = weekly(2, [2, 0, 0, 3]);
  const win = fitWindow(tensor, 0);

  it('places each count inside its own period, at random or at the midpoint', () => {
    const ev = gridEventsFromHistory({ tensor }, win, { seed: 5 });
    expect(ev.continuous).toBe(false);
    expect(Array.from(ev.stream)).toEqual([0, 0, 1, 1, 1]);
    for (let i = 0; i < 2; i++) { expect(ev.t[i]).toBeGreaterThanOrEqual(0); expect(ev.t[i]).toBeLessThan(7); }
    for (let i = 2; i < 5; i++) { expect(ev.t[i]).toBeGreaterThanOrEqual(7); expect(ev.t[i]).toBeLessThan(14); }
    expect(new Set(ev.t).size).toBe(5);
    const mid = gridEventsFromHistory({ tensor }, win, { placement: 'midpoint' });
    expect(Array.from(mid.t)).toEqual([3.5, 3.5, 10.5, 10.5, 10.5]);
  });

  it('prefers incident times and skips incidents outside the regions, categories or window', () => {
    const t = Float64Array.from([T0 + 1.5 * DAY, T0 + 3 * DAY, T0 + 9 * DAY, T0 - DAY]);
    const incidents = { n: 4, id: ['1', '2', '3', '4'], t, lat: new Float64Array(4), lon: new Float64Array(4), cat: new Uint16Array(4), categories: ['x'], tz: 'UTC' };
    const ev = gridEventsFromHistory({ tensor, incidents, incidentRegion: Int32Array.from([1, -1, 0, 0]), incidentCategory: Int32Array.from([0, 0, 0, 0]) }, win);
    expect(ev.continuous).toBe(true);
    expect(Array.from(ev.t)).toEqual([1.5, 9]);
    expect(Array.from(ev.stream)).toEqual([1, 0]);
  });
});
