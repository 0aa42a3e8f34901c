/**
 * ST-SHN (Xia et al., IJCAI 2021) Chicago protocol: the ST-HSL tensors read as binary occurrence (≥ 1 crime in a
 * cell-day); each of the 92 test days is predicted from the days before it, P(≥1) ≥ 0.5 counts as a positive.
 * Only (region, category) pairs whose occurrence rate over the TRAINING split (trn, 609 days; val excluded) lies
 * strictly inside (0.2, 0.8) are scored — with that reading the README's reference rule reproduces exactly.
 * ST-SHN's code calls the mean of per-category F1 "microF1" and the pooled F1 "macroF1"; here they are `meanF1` and
 * `pooledF1`. The protocol is the spec file protocols/st-shn.json.
 */
import { registerShippedSpec, loadShippedSpec } from '../spec/shipped.js';
import { runSpec } from '../spec/run.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

export { occurrenceRateMask } from './occurrence-rate.js';

export function runStShn(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  return runSpec(loadShippedSpec('st-shn'), models, opts);
}

registerShippedSpec('st-shn');
