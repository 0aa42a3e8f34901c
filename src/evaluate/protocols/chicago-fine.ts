/**
 * Fine-scale hot-spot protocols on the raw Chicago 2016–17 incidents (issue #12): at 3 km every method looks
 * alike (static concentration dominates), so methods are compared at the scale patrols work at — square cells of
 * 150 m, 250 m and 500 m and H3 resolutions 9 and 10, daily and weekly. Cells are those of a grid clipped to the
 * city's community areas (the study area), never "cells that ever had a crime" (that would leak the test period).
 * Test span: 2017-10-01 … 2017-12-31, as in ST-HSL.
 */
import { join } from 'node:path';
import { readIncidentFile } from '../../data/ingest/read.js';
import { buildDataset } from '../../tensor/dataset.js';
import { localDateToUtc, type PeriodUnit } from '../../time/bins.js';
import { sharedDataPath } from './data-dir.js';
import { STSHN_DIR } from './stshn-data.js';
import { registerProtocol } from './registry.js';
import { runRolling, DEFAULT_COVERAGES } from './rolling.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

const BOUNDARY = 'chicago-covariates/boundaries/community_areas.geojson';
const CATEGORIES = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'];

async function runFine(units: (boundary: string) => string, period: PeriodUnit, name: string, models: string[], opts: ProtocolOptions): Promise<ProtocolResult> {
  const csv = join(sharedDataPath(STSHN_DIR, opts.dataDir), 'raw', 'CHI_Crime.csv');
  const { table } = await readIncidentFile(csv, { preset: 'stshn-chicago' });
  const data = buildDataset(table, { units: units(sharedDataPath(BOUNDARY, opts.dataDir)), period, categories: CATEGORIES });
  const testStart = data.tensor.periodStart.findIndex((t) => t >= localDateToUtc('2017-10-01', table.tz) - 1);
  return runRolling(data, models, {
    ...opts, testStart, name, coverages: DEFAULT_COVERAGES,
    refitEvery: opts.refitEvery ?? (period === 'day' ? 7 : 1),
    description: `Chicago 2016–17 raw incidents, ${name.replace('chicago-', '')}: ${data.units.n} cells inside the city, test 2017-10-01…12-31`,
    notes: [
      `Units ${data.units.kind} (${data.units.n} regions) clipped to the community-area boundary; ${data.report.dropped} of ${data.report.total} incidents fall outside them.`,
      'Hit rate / PAI / PEI at 0.5%, 1%, 2% and 5% of the city area; regions ranked by the forecast mean.',
      'Models are refitted weekly (daily periods) and predict every day from all data before it.',
    ],
  });
}

for (const cell of [150, 250, 500]) {
  for (const period of ['day', 'week'] as const) {
    const name = `chicago-grid${cell}-${period}`;
    registerProtocol({
      name,
      description: `Chicago raw incidents on ${cell} m cells, ${period === 'day' ? 'daily' : 'weekly'}, hit rate/PAI/PEI at 0.5–5% coverage`,
      run: (models, opts = {}) => runFine((b) => `grid:cell=${cell},mask=${b}`, period, name, models, opts),
      acceptsExternal: true, // runRolling scores --external files
    });
  }
}
for (const res of [9, 10]) {
  for (const period of ['day', 'week'] as const) {
    const name = `chicago-h3-${res}-${period}`;
    registerProtocol({
      name,
      description: `Chicago raw incidents on H3 resolution ${res}, ${period === 'day' ? 'daily' : 'weekly'}, hit rate/PAI/PEI at 0.5–5% coverage`,
      run: (models, opts = {}) => runFine((b) => `h3:res=${res},polygon=${b}`, period, name, models, opts),
      acceptsExternal: true,
    });
  }
}
