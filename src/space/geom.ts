/**
 * Small planar geometry kernels on flat coordinate arrays ([x0, y0, x1, y1, …]).
 * Hand-written because the needs are three tiny functions; a full geometry library (turf, jsts) would add
 * megabytes for no accuracy gain on projected coordinates.
 */
import type { AreaGeometry, Position } from './units.js';
import type { Projection } from './projection.js';

/** Even-odd ray test against one closed ring stored flat (the closing vertex may repeat the first). */
export function pointInRing(x: number, y: number, ring: Float64Array): boolean {
  let inside = false;
  const n = ring.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i], yi = ring[2 * i + 1], xj = ring[2 * j], yj = ring[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Point in a polygon with holes: rings[0] is the shell, the rest are holes (even-odd over all rings). */
export function pointInPolygonRings(x: number, y: number, rings: Float64Array[]): boolean {
  let inside = false;
  for (const r of rings) if (pointInRing(x, y, r)) inside = !inside;
  return inside;
}

/** Signed shoelace area of a flat ring (positive = counter-clockwise). */
export function ringSignedArea(ring: Float64Array): number {
  let s = 0;
  const n = ring.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) s += ring[2 * j] * ring[2 * i + 1] - ring[2 * i] * ring[2 * j + 1];
  return s / 2;
}

/** Does segment (x0,y0)-(x1,y1) touch the rectangle? Liang–Barsky clipping. */
export function segmentIntersectsRect(x0: number, y0: number, x1: number, y1: number, minX: number, minY: number, maxX: number, maxY: number): boolean {
  let t0 = 0, t1 = 1;
  const dx = x1 - x0, dy = y1 - y0;
  const p = [-dx, dx, -dy, dy];
  const q = [x0 - minX, maxX - x0, y0 - minY, maxY - y0];
  for (let k = 0; k < 4; k++) {
    if (p[k] === 0) {
      if (q[k] < 0) return false;
    } else {
      const r = q[k] / p[k];
      if (p[k] < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
      else { if (r < t0) return false; if (r < t1) t1 = r; }
    }
  }
  return true;
}

/** Does an axis-aligned rectangle intersect a polygon (flat projected rings, shell first)? */
export function rectIntersectsPolygon(minX: number, minY: number, maxX: number, maxY: number, rings: Float64Array[]): boolean {
  for (const r of rings) {
    const n = r.length >> 1;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      if (segmentIntersectsRect(r[2 * j], r[2 * j + 1], r[2 * i], r[2 * i + 1], minX, minY, maxX, maxY)) return true;
    }
  }
  // no boundary crosses the rectangle: it is wholly inside or wholly outside
  return pointInPolygonRings((minX + maxX) / 2, (minY + maxY) / 2, rings);
}

/** Polygons of a geometry as lists of rings (shell first), whatever its type. */
export function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Project every ring of a geometry to flat metric arrays: result[polygon][ring]. */
export function projectGeometry(g: AreaGeometry, proj: Projection): Float64Array[][] {
  return polygonsOf(g).map((poly) =>
    poly.map((ring) => {
      const out = new Float64Array(ring.length * 2);
      for (let i = 0; i < ring.length; i++) {
        const [x, y] = proj.forwardPoint(ring[i][1], ring[i][0]);
        out[2 * i] = x; out[2 * i + 1] = y;
      }
      return out;
    }),
  );
}

/** Area (m²) and area-weighted centroid of projected polygons (holes subtract whatever their winding). */
export function areaAndCentroid(polys: Float64Array[][]): { area: number; cx: number; cy: number } {
  let area = 0, sx = 0, sy = 0;
  for (const rings of polys) {
    rings.forEach((r, k) => {
      const sign = k === 0 ? 1 : -1;
      const a = ringSignedArea(r);
      const n = r.length >> 1;
      let cx = 0, cy = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const cross = r[2 * j] * r[2 * i + 1] - r[2 * i] * r[2 * j + 1];
        cx += (r[2 * j] + r[2 * i]) * cross;
        cy += (r[2 * j + 1] + r[2 * i + 1]) * cross;
      }
      // the centroid sums carry the ring's orientation; normalise with |a| so shells add and holes subtract
      const s = a === 0 ? 0 : (sign * Math.abs(a)) / a;
      area += sign * Math.abs(a);
      sx += (s * cx) / 6;
      sy += (s * cy) / 6;
    });
  }
  return area > 0 ? { area, cx: sx / area, cy: sy / area } : { area: 0, cx: NaN, cy: NaN };
}

/** Bounding box of projected rings. */
export function ringsBBox(polys: Float64Array[][]): [minX: number, minY: number, maxX: number, maxY: number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const rings of polys) for (const r of rings) for (let i = 0; i < r.length; i += 2) {
    if (r[i] < minX) minX = r[i];
    if (r[i] > maxX) maxX = r[i];
    if (r[i + 1] < minY) minY = r[i + 1];
    if (r[i + 1] > maxY) maxY = r[i + 1];
  }
  return [minX, minY, maxX, maxY];
}

/** A lon/lat rectangle as a closed GeoJSON ring. */
export function rectPolygon(minLon: number, minLat: number, maxLon: number, maxLat: number): Position[] {
  return [[minLon, minLat], [maxLon, minLat], [maxLon, maxLat], [minLon, maxLat], [minLon, minLat]];
}
