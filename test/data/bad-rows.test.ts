import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIncidentFile } from '../../src/data/ingest/read.js';
import { describeReject } from '../../src/data/ingest/reject.js';
import { REPO_ROOT } from '../helpers.js';

const BAD = join(REPO_ROOT, 'data/sample/bad_rows.csv');

describe('data/sample/bad_rows.csv', () => {
  it('reports each bad row by physical line, reason and field, and keeps the good ones', async () => {
    const { table, rejects, summary, lines } = await readIncidentFile(BAD, { preset: 'stshn-chicago' });
    expect(rejects.map((r) => [r.line, r.reason, r.field])).toEqual([
      [3, 'bad-date', 'datetime'],
      [5, 'missing-coordinates', 'lat,lon'],
      [6, 'coordinates-out-of-range', 'lat,lon'],
      [7, 'missing-category', 'primary_type'],
      [8, 'column-count', '5 fields, expected 4'],
      [9, 'zero-coordinates', 'lat,lon'],
      [13, 'non-finite-coordinates', 'lat,lon'],
    ]);
    expect(summary.rows).toBe(13);
    expect(summary.rejected).toBe(7);
    expect(table.n).toBe(6);
    expect(Array.from(lines)).toEqual([1, 2, 4, 10, 11, 14]);
    // the quoted category spanning lines 11-12 is normalised to one name
    expect(table.categories[table.cat[4]]).toBe('CRIMINAL DAMAGE');
    // the raw text is kept in full for the rejects file ...
    expect(rejects[0].raw).toBe('13/45/2017 09:00:00 PM,THEFT,41.88,-87.63');
    // ... but the log line names only file, line, reason and field
    expect(describeReject(rejects[0])).toBe('bad_rows.csv:3: bad-date (datetime)');
  });

  it('applies an optional bounding box', async () => {
    const { table, rejects } = await readIncidentFile(BAD, { preset: 'stshn-chicago', bbox: [-87.7, 41.8, -87.5, 42.1] });
    expect(rejects.filter((r) => r.reason === 'outside-bbox').map((r) => r.line)).toEqual([1, 4, 11]);
    expect(table.n).toBe(3);
  });
});
