/** Longitude/latitude bounding boxes (WGS84 degrees). */
import type { IncidentTable } from '../data/incident-table.js';
import { UserError } from '../util/errors.js';

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Extent of the finite coordinates of a table; throws when it holds no located incident. */
export function bboxOfTable(tbl: Pick<IncidentTable, 'n' | 'lat' | 'lon'>): BBox {
  return bboxOfPoints(tbl.lat, tbl.lon);
}

export function bboxOfPoints(lat: Float64Array, lon: Float64Array): BBox {
  let minLat = Infinity, minLon = Infinity, maxLat = -Infinity, maxLon = -Infinity;
  for (let i = 0; i < lat.length; i++) {
    const a = lat[i], o = lon[i];
    if (!Number.isFinite(a) || !Number.isFinite(o)) continue;
    if (a < minLat) minLat = a;
    if (a > maxLat) maxLat = a;
    if (o < minLon) minLon = o;
    if (o > maxLon) maxLon = o;
  }
  if (minLat > maxLat) throw new UserError('no incident has a valid location, so the spatial extent is undefined');
  return { minLon, minLat, maxLon, maxLat };
}

/** Parse "minLon,minLat,maxLon,maxLat" (the GeoJSON bbox order). */
export function parseBBox(text: string): BBox {
  const v = text.split(',').map((s) => Number(s.trim()));
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) {
    throw new UserError(`bad bbox "${text}"`, 'write it as minLon,minLat,maxLon,maxLat, e.g. -87.94,41.64,-87.52,42.03');
  }
  const [minLon, minLat, maxLon, maxLat] = v;
  if (minLon >= maxLon || minLat >= maxLat) throw new UserError(`bad bbox "${text}": min must be below max`);
  if (minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180) throw new UserError(`bad bbox "${text}": outside WGS84 range`);
  return { minLon, minLat, maxLon, maxLat };
}

export function bboxCentre(b: BBox): { lat: number; lon: number } {
  return { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 };
}
