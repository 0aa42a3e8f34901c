/**
 * Chicago community areas with covariates (issue #5, the economic-model row): the raw 2016–17 incidents of the four
 * ST-HSL categories on the 77 community areas, daily or weekly, test 2017-10-01…12-31, with
 * - static indicators per area: ACS 2008–12 poverty, unemployment, no high-school diploma, crowded housing,
 *   dependency ratio and log per-capita income, and log 2010 census population;
 * - time-varying, city-wide: NOAA daily weather at O'Hare (max temperature °F, precipitation, snowfall), which
 *   the feature models see lagged one period.
 * Count metrics and hit rate / PAI / PEI at 2–20% of the city area (77 areas: 1% would be less than one area).
 * The protocols are spec files (protocols/chicago-areas-*.json); the indicator loader serves bench/panel.mjs.
 */
import { joinCovariates, mergeCovariates } from '../../features/covariates.js';
import type { Covariates } from '../../models/forecaster.js';
import { sharedDataPath } from './data-dir.js';
import { registerShippedSpec } from '../spec/shipped.js';

const COV = 'chicago-covariates';

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

// each is a spec file, protocols/chicago-areas-{day,week}.json (covariates as spec fields)
for (const period of ['day', 'week']) registerShippedSpec(`chicago-areas-${period}`);
