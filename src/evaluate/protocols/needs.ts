/** What the requested models need in their History beyond the count tensor (from the forecaster registry). */
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';

export function modelsNeed(models: string[]): { incidents: boolean; units: boolean } {
  let incidents = false, units = false;
  for (const m of models) {
    const needs = getForecasterInfo(parseModelSpec(m).name).needs ?? {};
    incidents ||= !!needs.incidents;
    units ||= !!(needs.units || needs.lattice || needs.covariates);
  }
  return { incidents, units };
}
