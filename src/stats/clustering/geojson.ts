/**
 * Cluster output as GeoJSON: one Feature per cluster with its convex hull (Polygon; LineString or Point when
 * the members are collinear or coincide) and summary properties. Hulls are computed in projected metres
 * and written with the members' original lon/lat, so vertices are real incident locations.
 */
import { convexHull } from './hull.js';

export interface ClusterSummary {
  id: number;
  size: number;
  centroidLat: number;
  centroidLon: number;
  /** Hull area, m² (0 for degenerate hulls). */
  areaM2: number;
  /** Mean distance of members to the centroid, metres. */
  meanDistanceM: number;
  /** First and last event time (ISO) where times are known. */
  start?: string;
  end?: string;
  [extra: string]: unknown;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}

export function summariseClusters(
  labels: Int32Array, k: number,
  pts: { x: Float64Array; y: Float64Array; lat: Float64Array; lon: Float64Array; t?: Float64Array },
): { summaries: ClusterSummary[]; members: number[][]; hulls: number[][] } {
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) members[labels[i]].push(i);
  const hulls: number[][] = [];
  const summaries = members.map((m, id) => {
    let sx = 0, sy = 0, slat = 0, slon = 0, t0 = Infinity, t1 = -Infinity;
    for (const i of m) {
      sx += pts.x[i]; sy += pts.y[i]; slat += pts.lat[i]; slon += pts.lon[i];
      if (pts.t) { t0 = Math.min(t0, pts.t[i]); t1 = Math.max(t1, pts.t[i]); }
    }
    const cx = sx / m.length, cy = sy / m.length;
    let md = 0;
    for (const i of m) md += Math.hypot(pts.x[i] - cx, pts.y[i] - cy);
    const hull = convexHull(pts.x, pts.y, m);
    hulls.push(hull);
    let area = 0;
    for (let a = 0; a < hull.length && hull.length >= 3; a++) {
      const i = hull[a], j = hull[(a + 1) % hull.length];
      area += pts.x[i] * pts.y[j] - pts.x[j] * pts.y[i];
    }
    const s: ClusterSummary = {
      id, size: m.length, centroidLat: slat / m.length, centroidLon: slon / m.length,
      areaM2: Math.abs(area) / 2, meanDistanceM: md / m.length,
    };
    if (pts.t && m.length) { s.start = new Date(t0).toISOString(); s.end = new Date(t1).toISOString(); }
    return s;
  });
  return { summaries, members, hulls };
}

export function clustersToGeoJSON(
  summaries: ClusterSummary[], hulls: number[][], lat: Float64Array, lon: Float64Array, extra: Record<string, unknown> = {},
): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: summaries.map((s, c) => {
      const h = hulls[c];
      const pos = h.map((i) => [lon[i], lat[i]]);
      const geometry = h.length >= 3
        ? { type: 'Polygon', coordinates: [[...pos, pos[0]]] }
        : h.length === 2 ? { type: 'LineString', coordinates: pos } : { type: 'Point', coordinates: pos[0] };
      return { type: 'Feature' as const, geometry, properties: { ...extra, ...s } };
    }),
  };
}
