/** A file with its own column names and time zone forecasts straight from --input, with ingest's flags. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/util/rng.js';

describe('forecast --input with column options', () => {
  it('reads the columns, the time zone and reports rejected rows', () => {
    const rng = new Rng(3);
    const rows = ['when;what;northing_lat;easting_lon'];
    for (let d = 1; d <= 28; d++) for (let k = 0; k < 6; k++) {
      rows.push(`2023-02-${String(d).padStart(2, '0')} ${String(8 + k).padStart(2, '0')}:30;${k % 2 ? 'BURGLARY' : 'THEFT'};${(51.50 + 0.02 * rng.random()).toFixed(5)};${(-0.12 + 0.03 * rng.random()).toFixed(5)}`);
    }
    rows.push('2023-02-30 10:00;THEFT;51.51;-0.11'); // no such day: a reject with its reason
    const dir = mkdtempSync(join(tmpdir(), 'own-cols-'));
    writeFileSync(join(dir, 'london.csv'), rows.join('\n') + '\n');
    const r = spawnSync('node', ['bin/crimecast.js', 'forecast', '--input', join(dir, 'london.csv'), '--delimiter', ';',
      '--time-col', 'when', '--category-col', 'what', '--lat-col', 'northing_lat', '--lon-col', 'easting_lon', '--tz', 'Europe/London',
      '--units', 'grid:1000', '--model', 'historical-average', '--from', '2023-03-01', '--horizon', '1', '--out', join(dir, 'f.geojson'), '--json'],
    { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.trainedOn.incidents).toBe(28 * 6);
    expect(out.categories.sort()).toEqual(['BURGLARY', 'THEFT']);
    expect(out.from).toBe('2023-03-01');
    expect(r.stderr).toMatch(/note: 1 row\(s\) of .*london\.csv rejected and left out/);
  }, 60_000);
});
