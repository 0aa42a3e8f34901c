/**
 * The outer boundary of a set of areas: every ring edge that no other area shares. For a grid study area that is
 * its outline (holes included); for polygons that share vertices, the outline of the city they tile. Drawn over
 * the dashboard's maps, which have no basemap, so an analyst sees where the study area ends.
 */
type Position = number[];
type Geometry = { type: string; coordinates?: unknown };

/** Segments [[lon, lat], [lon, lat]] of the boundary, in the features' order. */
export function outerEdges(features: { geometry: Geometry | null }[]): [Position, Position][] {
  const seen = new Map<string, { a: Position; b: Position; n: number }>();
  // vertices are compared at ~1 cm (1e-7°) so the same corner written by two features matches
  const key = (p: Position) => `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`;
  const ring = (r: Position[]) => {
    for (let i = 0; i + 1 < r.length; i++) {
      const ka = key(r[i]), kb = key(r[i + 1]);
      if (ka === kb) continue;
      const k = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
      const e = seen.get(k);
      if (e) e.n++; else seen.set(k, { a: r[i], b: r[i + 1], n: 1 });
    }
  };
  for (const f of features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === 'Polygon') for (const r of g.coordinates as Position[][]) ring(r);
    else if (g.type === 'MultiPolygon') for (const poly of g.coordinates as Position[][][]) for (const r of poly) ring(r);
  }
  return [...seen.values()].filter((e) => e.n === 1).map((e) => [e.a, e.b]);
}
