/**
 * Point-in-polygon for query filters on lon/lat. Hand-written even-odd ray casting (a dozen lines) because the data
 * layer sits below space/ and must not import it; holes work because every ring toggles the parity.
 */
export interface PolygonLike {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}

function polygonsOf(g: PolygonLike): number[][][][] {
  if (g.type === 'Polygon') return [g.coordinates as number[][][]];
  if (g.type === 'MultiPolygon') return g.coordinates as number[][][][];
  throw new Error(`polygon filter needs a Polygon or MultiPolygon, got ${(g as { type?: string }).type}`);
}

export function pointInPolygon(x: number, y: number, g: PolygonLike): boolean {
  for (const poly of polygonsOf(g)) {
    let inside = false;
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}

/** [minLon, minLat, maxLon, maxLat] of the geometry. */
export function polygonBBox(g: PolygonLike): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(g)) for (const ring of poly) for (const [x, y] of ring) {
    if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y; if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
  }
  return b;
}
