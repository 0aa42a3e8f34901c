/** Minimal GeoJSON types and writers for unit sets (WGS84 lon/lat, RFC 7946). */
import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import type { AreaGeometry, SpatialUnits } from './units.js';

export interface Feature {
  type: 'Feature';
  geometry: AreaGeometry | { type: string; coordinates?: unknown } | null;
  properties: Record<string, unknown> | null;
  id?: string | number;
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

export function readFeatureCollection(path: string): FeatureCollection {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read GeoJSON ${path}: ${(err as Error).message}`);
  }
  const fc = json as Partial<FeatureCollection>;
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new UserError(`${path} is not a GeoJSON FeatureCollection`);
  return fc as FeatureCollection;
}

/**
 * A unit set as a FeatureCollection: one feature per region with id, index, area_m2 and any extra
 * per-region columns in `props` (e.g. counts, risk), each array aligned with the regions.
 */
export function unitsToGeoJSON(units: SpatialUnits, props: Record<string, ArrayLike<number | string | null>> = {}): FeatureCollection {
  for (const [k, v] of Object.entries(props)) if (v.length !== units.n) throw new Error(`property ${k} has ${v.length} values for ${units.n} regions`);
  const features: Feature[] = [];
  for (let i = 0; i < units.n; i++) {
    const properties: Record<string, unknown> = { id: units.ids[i], index: i, area_m2: Math.round(units.area[i] * 100) / 100 };
    for (const [k, v] of Object.entries(props)) properties[k] = v[i];
    features.push({ type: 'Feature', id: units.ids[i], geometry: units.geometry(i), properties });
  }
  return { type: 'FeatureCollection', features };
}

export function writeUnitsGeoJSON(path: string, units: SpatialUnits, props?: Record<string, ArrayLike<number | string | null>>): void {
  writeFileSync(path, JSON.stringify(unitsToGeoJSON(units, props)) + '\n');
}
