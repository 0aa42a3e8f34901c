/**
 * Risk-terrain layers (Caplan & Kennedy's RTM): for each region, distance from its centroid to the nearest
 * point of a layer (bus stops, schools, bars…) and the number of points within a radius. Static covariates.
 */
import KDBush from 'kdbush';
import type { SpatialUnits } from '../space/units.js';
import type { Covariates } from '../models/forecaster.js';
import { bboxOfPoints } from '../space/bbox.js';
import { projectionForBBox } from '../space/projection.js';

export interface PointLayer {
  name: string;
  lat: Float64Array;
  lon: Float64Array;
}

export function riskTerrain(units: SpatialUnits, layers: PointLayer[], radius = 400): Covariates {
  const names: string[] = [];
  for (const l of layers) names.push(`dist_${l.name}`, `n${radius}m_${l.name}`);
  const k = names.length;
  const values = new Float64Array(units.n * k);
  const proj = projectionForBBox(bboxOfPoints(units.centroidLat, units.centroidLon));
  const cen = proj.forward(units.centroidLat, units.centroidLon);
  layers.forEach((layer, li) => {
    const p = proj.forward(layer.lat, layer.lon);
    const index = new KDBush(Math.max(1, layer.lat.length));
    for (let i = 0; i < layer.lat.length; i++) index.add(p.x[i], p.y[i]);
    index.finish();
    for (let r = 0; r < units.n; r++) {
      let best = Infinity;
      // grow the search radius until a point is found (layers are small; this stays cheap)
      for (let rad = radius; rad < 1e6 && best === Infinity; rad *= 4) {
        for (const i of index.within(cen.x[r], cen.y[r], rad)) best = Math.min(best, Math.hypot(p.x[i] - cen.x[r], p.y[i] - cen.y[r]));
      }
      values[r * k + 2 * li] = best === Infinity ? NaN : best;
      values[r * k + 2 * li + 1] = index.within(cen.x[r], cen.y[r], radius).length;
    }
  });
  return { names, values };
}
