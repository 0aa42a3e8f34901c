import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = 'bin/crimecast.js';
const SAMPLE = 'data/sample/chicago_2017_09_12.csv';
// runs the built CLI: `npm test` builds dist/ first

describe('crimecast forecast --model panel-fe --explain', () => {
  it('joins a time-varying covariate, writes coefficients with SEs and exact per-cell decompositions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'panel-cli-'));
    const rows = ['date,temp,bad'];
    const start = Date.UTC(2017, 8, 1);
    for (let d = 0; d < 122; d++) rows.push(`${new Date(start + d * 86_400_000).toISOString().slice(0, 10)},${(85 - 0.4 * d + 5 * Math.sin(d)).toFixed(1)},x`);
    rows.push('2017-13-01,50,x');
    writeFileSync(join(dir, 'weather.csv'), rows.join('\n'));
    const out = execFileSync('node', [BIN, 'forecast', '--input', SAMPLE, '--preset', 'stshn-chicago', '--units', 'grid:3000',
      '--from', '2017-12-01', '--horizon', '1', '--model', 'panel-fe:lags=1,windows=7,spatialWindows=,calendar=false',
      '--time-covariates', `${join(dir, 'weather.csv')},date=date,columns=temp`, '--explain', join(dir, 'why.json'), '--explain-top', '3',
      '--out', join(dir, 'f.geojson'), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(JSON.parse(out).model).toMatch(/^panel-fe/);
    const why = JSON.parse(readFileSync(join(dir, 'why.json'), 'utf8'));
    const names = why.summary.coefficients.map((c: { name: string }) => c.name);
    expect(names).toEqual(['log_lag_1', 'log_mean_7', 'log_max_7', 'tv_temp']);
    for (const c of why.summary.coefficients) expect(c.se).toBeGreaterThan(0);
    expect(why.summary.clusters).toBeGreaterThan(10);
    expect(why.cells.length).toBe(3 * 4);
    for (const cell of why.cells) {
      const sum = cell.contributions.reduce((s: number, c: { contribution: number }) => s + c.contribution, 0);
      expect(cell.areaEffect + sum).toBeCloseTo(cell.link, 9);
      expect(cell.contributions.find((c: { feature: string }) => c.feature === 'tv_temp').value).toBeCloseTo(85 - 0.4 * 90 + 5 * Math.sin(90), 1);
    }
  }, 60_000);

  it('fails fast on a bad --time-covariates spec', () => {
    expect(() => execFileSync('node', [BIN, 'forecast', '--input', SAMPLE, '--preset', 'stshn-chicago', '--model', 'panel-fe',
      '--time-covariates', 'w.csv,when=DATE', '--out', join(tmpdir(), 'x.geojson')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))
      .toThrow(/unknown option "when"/);
  });
});
