import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTimeCovariates, parseTimeCovariateSpec } from '../../src/features/time-covariates.js';
import { buildFeatures } from '../../src/features/build.js';
import { createTensor } from '../../src/tensor/count-tensor.js';
import { binningFromStart } from '../../src/time/bins.js';
import { HistoryViews } from '../../src/evaluate/backtest/history-views.js';
import { historyBefore } from '../../src/models/history-prefix.js';

const tz = 'America/Chicago';
function tensor(unit: 'day' | 'week', periods: number) {
  return createTensor({
    periods, regions: 2, categories: 1, categoryNames: ['THEFT'], regionIds: ['1', '2'],
    periodStart: Float64Array.from(binningFromStart(unit, tz, '2017-01-02', periods).periodStart), unit, tz,
  });
}
function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tc-'));
  const p = join(dir, 'tc.csv');
  writeFileSync(p, text);
  return p;
}

describe('time-varying covariates', () => {
  it('parses a spec and fails with a hint on a bad one', () => {
    expect(parseTimeCovariateSpec('w.csv,date=DATE,columns=TMAX;PRCP')).toEqual({ path: 'w.csv', date: 'DATE', key: undefined, columns: ['TMAX', 'PRCP'] });
    expect(() => parseTimeCovariateSpec('w.csv,when=DATE')).toThrow(/unknown option "when"/);
  });

  it('city-wide daily values average into weeks; per-area monthly values carry forward, never backward', () => {
    const days = ['DATE,TMAX'];
    for (let d = 0; d < 14; d++) days.push(`2017-01-${String(2 + d).padStart(2, '0')},${d}`);
    const weekly = loadTimeCovariates({ path: file(days.join('\n')), date: 'DATE' }, tensor('week', 2));
    expect(weekly.timeCovariates.perRegion).toBe(false);
    expect(Array.from(weekly.timeCovariates.values)).toEqual([3, 10]); // mean of 0…6, of 7…13
    const monthly = loadTimeCovariates({
      path: file('area,month,unemployment\n1,2017-01,5.5\n2,2017-01,9\n1,2017-01-05,6\n2,20x7-01-06,1\n9,2017-01-03,1\n1,2017-02,7\n'),
      date: 'month', key: 'area',
    }, tensor('day', 6));
    const v = monthly.timeCovariates.values; // periods × regions × 1
    expect(Array.from(v.subarray(0, 12))).toEqual([5.5, 9, 5.5, 9, 5.5, 9, 6, 9, 6, 9, 6, 9]);
    expect(monthly.report.badCount).toBe(1);
    expect(monthly.report.bad[0].line).toBe(5);
    expect(monthly.report.bad[0].reason).toMatch(/month: bad date/);
    expect(monthly.report.unmatched).toBe(1);
    expect(monthly.report.outside).toBe(1); // February is after the last period; January 1 sets the starting value
  });

  it('features use the value `timeLag` periods back, and histories never carry future values', () => {
    const t = tensor('day', 10);
    const values = Float64Array.from({ length: 10 }, (_, p) => p * 10); // city-wide: 0, 10, …, 90
    const timeCovariates = { names: ['w'], perRegion: false, values, periods: 10 };
    const views = new HistoryViews({ tensor: t, timeCovariates });
    const h = views.at(6);
    expect(h.timeCovariates!.periods).toBe(6);
    expect(h.timeCovariates!.values.length).toBe(6);
    expect(Array.from(h.timeCovariates!.values)).toEqual([0, 10, 20, 30, 40, 50]);
    const m = buildFeatures(h, { from: 4, to: 8 }, { lags: [1], windows: [], spatialWindows: [], calendar: false, timeLag: 1 });
    const col = m.names.indexOf('tv_w');
    // target periods 4, 5 (in history) and 6, 7 (forecast rows: the last known value, period 5)
    expect(Array.from({ length: 4 }, (_, q) => m.X[q * 2 * m.nCols + col])).toEqual([30, 40, 50, 50]);
    const m2 = buildFeatures(h, { from: 4, to: 5 }, { lags: [1], windows: [], spatialWindows: [], calendar: false, timeLag: 2 });
    expect(m2.X[m2.names.indexOf('tv_w')]).toBe(20);
    const cut = historyBefore(h, 3);
    expect(cut.timeCovariates!.periods).toBe(3);
    expect(Array.from(cut.timeCovariates!.values)).toEqual([0, 10, 20]);
  });
});
