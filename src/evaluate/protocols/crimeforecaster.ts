/**
 * CrimeForecaster (Sun et al., ECML-PKDD 2020) Chicago 2015 protocol: daily binary occurrence in 77 community areas
 * × 8 categories (2015-01-23 … 2015-08-29, 219 days); each of the last 30 days (August 2015) is predicted from the
 * days before it. macroF1 as the paper's code computes it: the mean over the 8 categories of each category's F1
 * pooled over areas (its predictions are reshaped to (-1, 8)); macroF1.columns is the stricter mean over the 616
 * (area, category) columns (0 for a column with no true and no predicted positive); micro = pooled either way.
 *
 * Deviations from the released code, on purpose: (1) it rescales test predictions with a MinMaxScaler fitted on the
 * test predictions themselves before thresholding at 0.5 — test-set information — which is NOT done here;
 * (2) its Chicago labels are shifted by one category relative to the features (label generator used
 * crime_type_id − 1); daily_binary_chicago.npy is the day sequence with features and labels aligned.
 * The paper's models see 8-day windows; here every model sees the whole past, and the window is a baseline parameter.
 * The protocol is the spec file protocols/crimeforecaster.json; the loaders below serve tests and benches.
 */
import { UserError } from '../../util/errors.js';
import { buildUnits } from '../../space/build-units.js';
import type { SpatialUnits } from '../../space/units.js';
import { registerShippedSpec, loadShippedSpec } from '../spec/shipped.js';
import { runSpec } from '../spec/run.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

export { tuneThresholds } from './thresholds.js';

export const CRIMEFORECASTER_DATA = 'crimeforecaster-chicago2015/daily_binary_chicago.npy';
/** Community-area polygons for models that need units (gnn, mlp/lstm neighbour inputs): area axis i is area number i + 1. */
export const CRIMEFORECASTER_UNITS = 'chicago-covariates/boundaries/community_areas.geojson';

export function loadCrimeForecasterUnits(path: string, regions: number): SpatialUnits {
  const units = buildUnits(`polygons:${path},id=area_numbe,order=id`);
  // the benchmark's area index i is community area i + 1 (verified in the data READMEs against the adjacency)
  if (units.n !== regions || units.ids.some((id, i) => Number(id) !== i + 1)) {
    throw new UserError(`${path}: expected community areas 1…${regions} in order, got ${units.n} regions (${units.ids.slice(0, 3).join(', ')}, …)`);
  }
  return units;
}

/** The paper's validation split: the 15 days before the test month (spans.validation of protocols/crimeforecaster.json). */
export const CRIMEFORECASTER_VAL_DAYS = 15;

export function runCrimeForecaster(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  return runSpec(loadShippedSpec('crimeforecaster'), models, opts);
}

registerShippedSpec('crimeforecaster');
