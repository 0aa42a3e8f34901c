/** Weights from a one-line spec, as the CLI takes them: contiguity | knn:K | band:METRES. */
import type { SpatialUnits } from '../../space/units.js';
import { UserError } from '../../util/errors.js';
import { contiguityWeights, distanceBandWeights, knnWeights, type SpatialWeights, type WeightOptions } from './weights.js';

export const WEIGHTS_SPEC_HELP = 'contiguity (the unit set\'s own adjacency) | knn:K (K nearest centroids) | band:METRES (centroids within a distance)';

export function weightsFromSpec(spec: string, units: SpatialUnits, opts: WeightOptions): SpatialWeights {
  const [kind, arg] = spec.split(':');
  if (kind === 'contiguity' && arg === undefined) return contiguityWeights(units.adjacency, opts);
  const v = Number(arg);
  if (kind === 'knn' && Number.isInteger(v) && v >= 1) return knnWeights(units, v, opts);
  if (kind === 'band' && v > 0) return distanceBandWeights(units, v, opts);
  throw new UserError(`bad weights spec "${spec}"`, `valid forms: ${WEIGHTS_SPEC_HELP}`);
}
