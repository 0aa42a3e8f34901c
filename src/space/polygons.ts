/**
 * User polygons (beats, districts, community areas) from a GeoJSON FeatureCollection of Polygon /
 * MultiPolygon features, holes included. Points are located with a Flatbush index over part bounding boxes
 * and an exact even-odd test in lon/lat (GeoJSON edges are straight in lon/lat); where polygons overlap,
 * the first in region order wins. Adjacency is by shared boundary: queen = a common vertex, rook = a common
 * edge, with vertices matched after snapping to `snap` degrees.
 */
import Flatbush from 'flatbush';
import { UserError } from '../util/errors.js';
import { areaAndCentroid, pointInPolygonRings, projectGeometry } from './geom.js';
import { readFeatureCollection, type FeatureCollection } from './geojson.js';
import { localProjection } from './projection.js';
import { adjacencyFromLists, type Adjacency, type AreaGeometry, type Position, type SpatialUnits } from './units.js';

export interface PolygonOptions {
  /** Feature property holding the region id; default: the feature id, else its position. */
  idProperty?: string;
  adjacency?: 'queen' | 'rook';
  /** Vertex matching tolerance for adjacency, degrees (1e-7 ≈ 1 cm). */
  snap?: number;
  /** Region order: as in the file (default), or by id (numeric when every id is a number). */
  order?: 'file' | 'id';
  /** Recorded in `spec` so the set can be rebuilt. */
  source?: string;
  /**
   * Features sharing an id: 'dissolve' (default) makes them the parts of one region — a police district drawn as
   * several features — and lists them in `dissolved`; 'error' refuses the file.
   */
  duplicates?: 'dissolve' | 'error';
}

export interface PolygonUnits extends SpatialUnits {
  readonly kind: 'polygons';
  readonly geometries: AreaGeometry[];
  /** Feature properties of each region (same order as ids; a dissolved region keeps its first feature's). */
  readonly properties: Record<string, unknown>[];
  /** Regions made of several features that shared their id, with the number of features merged. */
  readonly dissolved: { id: string; features: number }[];
}

/** Merge features that share an id into one MultiPolygon region (first occurrence keeps its place and properties). */
function dissolveById<T extends { id: string; geometry: AreaGeometry; properties: Record<string, unknown> }>(items: T[]): { items: T[]; dissolved: { id: string; features: number }[] } {
  const byId = new Map<string, { item: T; parts: Position[][][]; features: number }>();
  for (const it of items) {
    const parts = it.geometry.type === 'Polygon' ? [it.geometry.coordinates] : it.geometry.coordinates;
    const prev = byId.get(it.id);
    if (prev) { prev.parts.push(...parts); prev.features++; } else byId.set(it.id, { item: it, parts: [...parts], features: 1 });
  }
  const dissolved: { id: string; features: number }[] = [];
  const out = [...byId.values()].map(({ item, parts, features }) => {
    if (features === 1) return item;
    dissolved.push({ id: item.id, features });
    return { ...item, geometry: { type: 'MultiPolygon', coordinates: parts } as AreaGeometry };
  });
  return { items: out, dissolved };
}

function isArea(g: unknown): g is AreaGeometry {
  const t = (g as { type?: string } | null)?.type;
  return (t === 'Polygon' || t === 'MultiPolygon') && Array.isArray((g as { coordinates?: unknown }).coordinates);
}

function flatRing(ring: Position[]): Float64Array {
  const out = new Float64Array(ring.length * 2);
  for (let i = 0; i < ring.length; i++) { out[2 * i] = ring[i][0]; out[2 * i + 1] = ring[i][1]; }
  return out;
}

export function polygonUnits(fc: FeatureCollection, opts: PolygonOptions = {}): PolygonUnits {
  let items = fc.features.map((f, k) => {
    if (!isArea(f.geometry)) throw new UserError(`feature ${k} has geometry type ${f.geometry?.type ?? 'null'}; only Polygon and MultiPolygon are regions`);
    let id: unknown;
    if (opts.idProperty) {
      id = f.properties?.[opts.idProperty];
      if (id === undefined || id === null) {
        throw new UserError(`feature ${k} has no property "${opts.idProperty}"`, `properties: ${Object.keys(f.properties ?? {}).join(', ')}`);
      }
    } else id = f.id ?? k;
    return { id: String(id), geometry: f.geometry, properties: f.properties ?? {} };
  });
  if (items.length === 0) throw new UserError('the polygon file holds no feature');
  if (opts.order === 'id') {
    const numeric = items.every((it) => it.id.trim() !== '' && Number.isFinite(Number(it.id)));
    items.sort((a, b) => (numeric ? Number(a.id) - Number(b.id) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  let dissolved: { id: string; features: number }[] = [];
  if ((opts.duplicates ?? 'dissolve') === 'dissolve') ({ items, dissolved } = dissolveById(items));
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) throw new UserError(`region id "${it.id}" appears twice`, opts.idProperty ? 'its features are parts of one region: leave duplicates=dissolve (the default)' : 'choose a unique id property with id=NAME');
    seen.add(it.id);
  }
  const n = items.length;
  const geometries = items.map((it) => it.geometry);

  // parts: one entry per polygon (a MultiPolygon contributes several), flat lon/lat rings
  const partRegion: number[] = [];
  const partRings: Float64Array[][] = [];
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  geometries.forEach((g, i) => {
    for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      if (poly.length === 0 || poly[0].length < 4) continue;
      partRegion.push(i);
      partRings.push(poly.map(flatRing));
    }
  });
  const index = new Flatbush(partRings.length);
  for (const rings of partRings) {
    const s = rings[0];
    let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
    for (let j = 0; j < s.length; j += 2) {
      if (s[j] < a) a = s[j];
      if (s[j] > c) c = s[j];
      if (s[j + 1] < b) b = s[j + 1];
      if (s[j + 1] > d) d = s[j + 1];
    }
    index.add(a, b, c, d);
    minLon = Math.min(minLon, a); minLat = Math.min(minLat, b); maxLon = Math.max(maxLon, c); maxLat = Math.max(maxLat, d);
  }
  index.finish();

  const exact = (x: number, y: number): number => {
    let best = -1;
    for (const p of index.search(x, y, x, y)) {
      const r = partRegion[p];
      if ((best < 0 || r < best) && pointInPolygonRings(x, y, partRings[p])) best = r;
    }
    return best;
  };
  const locator = rasterLocator(partRings, [minLon, minLat, maxLon, maxLat], exact);

  const proj = localProjection((minLat + maxLat) / 2, (minLon + maxLon) / 2);
  const area = new Float64Array(n), centroidLat = new Float64Array(n), centroidLon = new Float64Array(n);
  geometries.forEach((g, i) => {
    const { area: a, cx, cy } = areaAndCentroid(projectGeometry(g, proj));
    area[i] = a;
    [centroidLat[i], centroidLon[i]] = proj.inversePoint(cx, cy);
  });

  const kind = opts.adjacency ?? 'queen';
  const snap = opts.snap ?? 1e-7;
  return {
    kind: 'polygons',
    n,
    ids: items.map((it) => it.id),
    area,
    centroidLat,
    centroidLon,
    adjacency: boundaryAdjacency(geometries, kind, snap),
    geometries,
    properties: items.map((it) => it.properties),
    dissolved,
    assign(lat, lon) {
      const out = new Int32Array(lat.length).fill(-1);
      for (let i = 0; i < lat.length; i++) out[i] = locator.locate(lon[i], lat[i]);
      return out;
    },
    geometry: (i) => geometries[i],
    spec: { kind: 'polygons', source: opts.source, idProperty: opts.idProperty, adjacency: kind, snap, order: opts.order ?? 'file' },
  };
}

export function readPolygonUnits(path: string, opts: PolygonOptions = {}): PolygonUnits {
  return polygonUnits(readFeatureCollection(path), { ...opts, source: opts.source ?? path });
}

/**
 * Speeds up point location on detailed boundaries (Chicago's community areas have ~40 000 vertices): a
 * G×G raster over the extent marks every cell an edge's bounding box touches (cx/cy are monotonic, so every
 * cell a boundary passes through is marked); a point in an unmarked cell
 * gets the region of that cell's centre (computed once, then cached), so only points near a boundary pay
 * for the exact test. Hand-written because it is 30 lines and needs nothing beyond Flatbush.
 */
function rasterLocator(parts: Float64Array[][], [x0, y0, x1, y1]: [number, number, number, number], exact: (x: number, y: number) => number) {
  let vertices = 0;
  for (const rings of parts) for (const r of rings) vertices += r.length >> 1;
  // finer raster for more detailed boundaries: ~16 cells per vertex, capped at 1024² (5 MB)
  const G = Math.min(1024, Math.max(64, Math.ceil(4 * Math.sqrt(vertices))));
  const sx = G / (x1 - x0 || 1), sy = G / (y1 - y0 || 1);
  const boundary = new Uint8Array(G * G);
  const cx = (x: number) => Math.min(G - 1, Math.max(0, Math.floor((x - x0) * sx)));
  const cy = (y: number) => Math.min(G - 1, Math.max(0, Math.floor((y - y0) * sy)));
  for (const rings of parts) for (const r of rings) {
    for (let j = 2; j < r.length; j += 2) {
      const a0 = cx(Math.min(r[j - 2], r[j])), a1 = cx(Math.max(r[j - 2], r[j]));
      const b0 = cy(Math.min(r[j - 1], r[j + 1])), b1 = cy(Math.max(r[j - 1], r[j + 1]));
      for (let b = b0; b <= b1; b++) for (let a = a0; a <= a1; a++) boundary[b * G + a] = 1;
    }
  }
  const cached = new Int32Array(G * G).fill(-2);
  return {
    locate(x: number, y: number): number {
      if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) return -1;
      const k = cy(y) * G + cx(x);
      if (boundary[k]) return exact(x, y);
      if (cached[k] === -2) cached[k] = exact(x0 + ((k % G) + 0.5) / sx, y0 + (Math.floor(k / G) + 0.5) / sy);
      return cached[k];
    },
  };
}

/** Regions sharing a (snapped) vertex — queen — or an edge — rook. */
export function boundaryAdjacency(geometries: AreaGeometry[], kind: 'queen' | 'rook', snap: number): Adjacency {
  const q = (v: number) => Math.round(v / snap);
  const owners = new Map<string, number[]>();
  const note = (key: string, region: number) => {
    const list = owners.get(key);
    if (!list) owners.set(key, [region]);
    else if (list[list.length - 1] !== region) list.push(region);
  };
  geometries.forEach((g, region) => {
    for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      for (const ring of poly) {
        for (let j = 0; j < ring.length; j++) {
          const a = `${q(ring[j][0])},${q(ring[j][1])}`;
          if (kind === 'queen') { note(a, region); continue; }
          if (j === 0) continue;
          const b = `${q(ring[j - 1][0])},${q(ring[j - 1][1])}`;
          if (a !== b) note(a < b ? `${a}|${b}` : `${b}|${a}`, region);
        }
      }
    }
  });
  const sets = geometries.map(() => new Set<number>());
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (const i of list) for (const j of list) if (i !== j) sets[i].add(j);
  }
  return adjacencyFromLists(sets.map((s) => [...s].sort((a, b) => a - b)));
}
