/**
 * Chicago community areas with covariates (issue #5, the economic-model row): the raw 2016–17 incidents of the four
 * ST-HSL categories on the 77 community areas, daily or weekly, test 2017-10-01…12-31, with
 * - static indicators per area: ACS 2008–12 poverty, unemployment, no high-school diploma, crowded housing,
 *   dependency ratio and log per-capita income, and log 2010 census population;
 * - time-varying, city-wide: NOAA daily weather at O'Hare (max temperature °F, precipitation, snowfall), which
 *   the feature models see lagged one period.
 * Count metrics and hit rate / PAI / PEI at 2–20% of the city area (77 areas: 1% would be less than one area).
 */
import { join } from 'node:path';
import { readIncidentFile } from '../../data/ingest/read.js';
import { joinCovariates, mergeCovariates } from '../../features/covariates.js';
import { loadTimeCovariates } from '../../features/time-covariates.js';
import type { Covariates } from '../../models/forecaster.js';
import { buildDataset } from '../../tensor/dataset.js';
import { localDateToUtc, type PeriodUnit } from '../../time/bins.js';
import { sharedDataPath } from './data-dir.js';
import { STSHN_DIR } from './stshn-data.js';
import { registerProtocol } from './registry.js';
import { runRolling } from './rolling.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

const COV = 'chicago-covariates';
const CATEGORIES = ['THEFT', 'BATTERY', 'ASSAULT', 'CRIMINAL DAMAGE'];

/** The area indicators, with logs where a rate model is linear in the log (income, population). */
export function chicagoAreaIndicators(regionIds: string[], dataDir?: string): Covariates {
  const socio = joinCovariates(
    sharedDataPath(`${COV}/socioeconomic/census_selected_socioeconomic_indicators_2008_2012.csv`, dataDir), regionIds, 'Community Area Number',
    ['PERCENT HOUSEHOLDS BELOW POVERTY', 'PERCENT AGED 16+ UNEMPLOYED', 'PERCENT AGED 25+ WITHOUT HIGH SCHOOL DIPLOMA',
      'PERCENT OF HOUSING CROWDED', 'PERCENT AGED UNDER 18 OR OVER 64', 'PER CAPITA INCOME'],
  ).covariates;
  const pop = joinCovariates(sharedDataPath(`${COV}/demographics/cmap_cca_census2010_sf1.csv`, dataDir), regionIds, 'GEOGKEYX', ['P0050001']).covariates;
  const merged = mergeCovariates([socio, pop], regionIds.length);
  const k = merged.names.length;
  for (let r = 0; r < regionIds.length; r++) for (const j of [5, 6]) merged.values[r * k + j] = Math.log(merged.values[r * k + j]);
  return {
    names: ['pct_poverty', 'pct_unemployed', 'pct_no_diploma', 'pct_crowded', 'pct_dependent', 'log_income_per_capita', 'log_population'],
    values: merged.values,
  };
}

async function runAreas(period: PeriodUnit, name: string, models: string[], opts: ProtocolOptions): Promise<ProtocolResult> {
  const csv = join(sharedDataPath(STSHN_DIR, opts.dataDir), 'raw', 'CHI_Crime.csv');
  const { table } = await readIncidentFile(csv, { preset: 'stshn-chicago' });
  const boundary = sharedDataPath(`${COV}/boundaries/community_areas.geojson`, opts.dataDir);
  const data = buildDataset(table, { units: `polygons:${boundary},id=area_numbe,order=id`, period, categories: CATEGORIES });
  data.covariates = chicagoAreaIndicators(data.tensor.regionIds, opts.dataDir);
  data.timeCovariates = loadTimeCovariates(
    { path: sharedDataPath(`${COV}/weather/ghcnd_ohare_2015_2017.csv`, opts.dataDir), date: 'DATE', columns: ['TMAX', 'PRCP', 'SNOW'] }, data.tensor,
  ).timeCovariates;
  const testStart = data.tensor.periodStart.findIndex((t) => t >= localDateToUtc('2017-10-01', table.tz) - 1);
  return runRolling(data, models, {
    ...opts, testStart, name, coverages: [0.02, 0.05, 0.1, 0.2],
    refitEvery: opts.refitEvery ?? (period === 'day' ? 7 : 1),
    description: `Chicago 2016–17 raw incidents on the 77 community areas, ${period === 'day' ? 'daily' : 'weekly'}, with area indicators and O'Hare weather; test 2017-10-01…12-31`,
    notes: [
      `${data.report.dropped} of ${data.report.total} incidents fall outside the community areas.`,
      'Static covariates: ACS 2008–12 indicators and 2010 population per area; time-varying: daily max temperature, precipitation and snowfall at O\'Hare (features see them one period late).',
      'Hit rate / PAI / PEI at 2%, 5%, 10% and 20% of the city area.',
    ],
  });
}

for (const period of ['day', 'week'] as const) {
  const name = `chicago-areas-${period}`;
  registerProtocol({
    name,
    description: `Chicago community areas, ${period === 'day' ? 'daily' : 'weekly'}, with socio-economic indicators and weather covariates (count metrics, PAI at 2–20%)`,
    run: (models, opts = {}) => runAreas(period, name, models, opts),
    acceptsExternal: true, // runRolling scores --external files
  });
}
