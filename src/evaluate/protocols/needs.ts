/** What the requested models need in their History beyond the count tensor (from the forecaster registry). */
import { getForecasterInfo, parseModelSpec } from '../../models/registry.js';
import { parseMemberSpecs } from '../../models/ensemble/member-specs.js';

export function modelsNeed(models: string[]): { incidents: boolean; units: boolean } {
  let incidents = false, units = false;
  for (const m of models) {
    const { name, params } = parseModelSpec(m);
    const info = getForecasterInfo(name);
    // an ensemble needs whatever its members need
    const specs = info.family === 'ensemble' && params.members ? parseMemberSpecs(name, params.members) : [m];
    for (const s of specs) {
      const needs = getForecasterInfo(parseModelSpec(s).name).needs ?? {};
      incidents ||= !!needs.incidents;
      units ||= !!(needs.units || needs.lattice || needs.covariates);
    }
  }
  return { incidents, units };
}
