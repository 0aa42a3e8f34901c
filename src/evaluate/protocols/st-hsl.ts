/**
 * ST-HSL (Li et al., ICDE 2022) Chicago protocol: daily counts on the 14 × 12 grid for THEFT, BATTERY, ASSAULT and
 * CRIMINAL DAMAGE; trn (609 days) + val (30) + tst (92) concatenated, each of the 92 test days forecast one step
 * ahead from every day before it. The paper's headline MAE / MAPE score only cells with a true count > 0
 * (`mask = label > 0` in utils.cal_metrics_r), which rewards predicting ≥ 1 everywhere, so unmasked MAE / RMSE,
 * Poisson deviance, log score and hot-spot metrics (hit rate, PAI, PEI at 1% and 5% of the area) are reported too.
 * The protocol is the spec file protocols/st-hsl.json, run by the spec runner like any user spec.
 */
import { registerShippedSpec, loadShippedSpec } from '../spec/shipped.js';
import { runSpec } from '../spec/run.js';
import type { ProtocolOptions, ProtocolResult } from './types.js';

export { STSHN_TENSORS as ST_HSL_DATA } from './stshn-data.js';
export const HOTSPOT_COVERAGES = [0.01, 0.05];

export function runStHsl(models: string[], opts: ProtocolOptions = {}): Promise<ProtocolResult> {
  return runSpec(loadShippedSpec('st-hsl'), models, opts);
}

registerShippedSpec('st-hsl');
