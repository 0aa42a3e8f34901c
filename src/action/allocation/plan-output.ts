/** A patrol plan as GeoJSON (input geometry + per-shift dosage and covered crime) and as long CSV. */
import type { Feature, FeatureCollection } from '../../space/geojson.js';
import { unitsToGeoJSON } from '../../space/geojson.js';
import type { SpatialUnits } from '../../space/units.js';
import { coveredFraction, type CoverageModel } from './coverage-model.js';
import type { AllocationResult } from './problem.js';

export interface PlanShift { name: string; expected: ArrayLike<number>; result: AllocationResult }

function planProps(shifts: PlanShift[], model: CoverageModel, n: number): Record<string, (number | string | null)[]> {
  const props: Record<string, (number | string | null)[]> = {};
  for (const s of shifts) {
    props[`dosage_${s.name}`] = Array.from(s.result.dosage);
    props[`covered_${s.name}`] = Array.from({ length: n }, (_, r) => +(s.expected[r] * coveredFraction(model, s.result.dosage[r])).toFixed(5));
  }
  props.dosage_total = Array.from({ length: n }, (_, r) => shifts.reduce((a, s) => a + s.result.dosage[r], 0));
  return props;
}

/** From the input features (geometry kept) or, for units built in CrimeCast, through unitsToGeoJSON. */
export function planGeoJSON(source: { features: Feature[] } | { units: SpatialUnits } | { ids: string[] }, shifts: PlanShift[], model: CoverageModel, meta: Record<string, unknown>): FeatureCollection & { crimecast: Record<string, unknown> } {
  const n = shifts[0]?.expected.length ?? 0;
  const props = planProps(shifts, model, n);
  let fc: FeatureCollection;
  if ('units' in source) fc = unitsToGeoJSON(source.units, props);
  else {
    const features: Feature[] = [];
    for (let r = 0; r < n; r++) {
      const f = 'features' in source ? source.features[r] : null;
      const properties: Record<string, unknown> = { ...(f?.properties ?? { id: (source as { ids: string[] }).ids[r] }) };
      for (const [k, v] of Object.entries(props)) properties[k] = v[r];
      features.push({ type: 'Feature', id: f?.id ?? properties.id as string, geometry: f?.geometry ?? null, properties });
    }
    fc = { type: 'FeatureCollection', features };
  }
  return { ...fc, crimecast: meta };
}

export function planCsv(ids: string[], shifts: PlanShift[], model: CoverageModel): string {
  const lines = ['shift,region,expected,dosage,covered'];
  for (const s of shifts) {
    for (let r = 0; r < ids.length; r++) {
      if (s.result.dosage[r] === 0) continue;
      const id = /[",\n]/.test(ids[r]) ? `"${ids[r].replace(/"/g, '""')}"` : ids[r];
      lines.push(`${s.name},${id},${(+s.expected[r]).toFixed(5)},${s.result.dosage[r]},${(s.expected[r] * coveredFraction(model, s.result.dosage[r])).toFixed(5)}`);
    }
  }
  return lines.join('\n') + '\n';
}
