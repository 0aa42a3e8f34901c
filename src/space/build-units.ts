/**
 * Unit sets from one-line specs, the form the CLI and config files use:
 *   grid:250                         250 m square grid over the incidents' extent (or --bbox)
 *   grid:cell=500,origin=41.6/-87.9,adjacency=rook,mask=incidents|FILE.geojson,proj=PROJ4
 *   h3:9                             H3 cells at resolution 9 holding incidents
 *   h3:res=8,buffer=1,k=1,polygon=FILE.geojson
 *   polygons:FILE.geojson,id=PROP,adjacency=queen|rook,order=file|id
 *   stshn                            ST-SHN 3 km degree grid (origin from the incidents, else Chicago's)
 *   stshn:origin=chicago | stshn:minLat=..,minLon=..,rows=14,cols=12
 */
import type { IncidentTable } from '../data/incident-table.js';
import { UserError } from '../util/errors.js';
import type { BBox } from './bbox.js';
import { buildGrid, gridUnits, type GridOptions } from './grid.js';
import { buildH3Units } from './h3.js';
import { readFeatureCollection } from './geojson.js';
import { readPolygonUnits } from './polygons.js';
import { buildStshnGrid, STSHN_CHICAGO_ORIGIN } from './stshn-grid.js';
import type { MultiPolygonGeometry, Position, SpatialUnits } from './units.js';

export const UNIT_SPEC_HELP =
  'grid:METRES | grid:cell=M,origin=LAT/LON,adjacency=rook|queen,mask=incidents|FILE.geojson,proj=PROJ4 | ' +
  'h3:RES | h3:res=R,buffer=K,k=K,polygon=FILE.geojson | polygons:FILE.geojson,id=PROPERTY,adjacency=queen|rook,order=file|id | ' +
  'stshn | stshn:origin=chicago | stshn:minLat=..,minLon=..,rows=..,cols=..';

export interface ParsedUnitSpec {
  kind: 'grid' | 'h3' | 'polygons' | 'stshn';
  /** The bare positional value (grid:250 → "250"), if any. */
  value?: string;
  params: Record<string, string>;
}

function bad(spec: string, why: string): UserError {
  return new UserError(`bad unit spec "${spec}": ${why}`, `valid forms: ${UNIT_SPEC_HELP}`);
}

export function parseUnitSpec(spec: string): ParsedUnitSpec {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (kind !== 'grid' && kind !== 'h3' && kind !== 'polygons' && kind !== 'stshn') throw bad(spec, `unknown kind "${kind}"`);
  const params: Record<string, string> = {};
  let value: string | undefined;
  if (colon >= 0) {
    for (const part of spec.slice(colon + 1).split(',')) {
      const p = part.trim();
      if (p === '') continue;
      const eq = p.indexOf('=');
      if (eq < 0) {
        if (value !== undefined) throw bad(spec, `more than one bare value ("${value}", "${p}")`);
        value = p;
      } else params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
  }
  return { kind, value, params };
}

function num(spec: string, name: string, text: string | undefined, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw bad(spec, `${name} must be ${integer ? 'an integer' : 'a number'} (got "${text}")`);
  return v;
}

function allowOnly(spec: string, params: Record<string, string>, allowed: string[]): void {
  for (const k of Object.keys(params)) if (!allowed.includes(k)) throw bad(spec, `unknown option "${k}" (allowed: ${allowed.join(', ')})`);
}

function choice<T extends string>(spec: string, name: string, text: string | undefined, options: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(options as readonly string[]).includes(text)) throw bad(spec, `${name} must be one of ${options.join(', ')}`);
  return text as T;
}

/** Every polygon of a GeoJSON file as one study-area MultiPolygon. */
export function studyAreaFromFile(path: string): MultiPolygonGeometry {
  const coordinates: Position[][][] = [];
  for (const f of readFeatureCollection(path).features) {
    const g = f.geometry as { type?: string; coordinates?: unknown } | null;
    if (g?.type === 'Polygon') coordinates.push(g.coordinates as Position[][]);
    else if (g?.type === 'MultiPolygon') coordinates.push(...(g.coordinates as Position[][][]));
  }
  if (coordinates.length === 0) throw new UserError(`${path} holds no Polygon or MultiPolygon`);
  return { type: 'MultiPolygon', coordinates };
}

export interface BuildUnitsOptions {
  /** Extent for grids (instead of the incidents' extent). */
  bbox?: BBox;
}

export function buildUnits(spec: string, incidents?: Pick<IncidentTable, 'lat' | 'lon'>, opts: BuildUnitsOptions = {}): SpatialUnits {
  const { kind, value, params } = parseUnitSpec(spec);
  if (kind === 'grid') {
    allowOnly(spec, params, ['cell', 'origin', 'adjacency', 'mask', 'proj']);
    const cell = num(spec, 'cell', params.cell ?? value);
    if (cell === undefined) throw bad(spec, 'give the cell size in metres, e.g. grid:250');
    let origin: GridOptions['origin'];
    if (params.origin !== undefined) {
      const [a, b] = params.origin.split(/[/;]/).map(Number);
      if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > 90) throw bad(spec, 'origin must be LAT/LON, e.g. origin=41.64/-87.94');
      origin = { lat: a, lon: b };
    }
    if (!incidents && !opts.bbox) throw bad(spec, 'a grid needs incidents or a bbox for its extent');
    const mask = params.mask === undefined || params.mask === 'none' ? 'none' : params.mask === 'incidents' ? 'incidents' : studyAreaFromFile(params.mask);
    return buildGrid({
      cell, origin, bbox: opts.bbox, points: incidents, projection: params.proj, mask,
      adjacency: choice(spec, 'adjacency', params.adjacency, ['rook', 'queen'] as const),
    });
  }
  if (kind === 'h3') {
    allowOnly(spec, params, ['res', 'buffer', 'k', 'polygon']);
    const res = num(spec, 'res', params.res ?? value, true);
    if (res === undefined) throw bad(spec, 'give the resolution, e.g. h3:9');
    const polygon = params.polygon ? studyAreaFromFile(params.polygon) : undefined;
    if (!polygon && !incidents) throw bad(spec, 'H3 units need incidents or polygon=FILE.geojson');
    return buildH3Units({ res, points: polygon ? undefined : incidents, polygon, buffer: num(spec, 'buffer', params.buffer, true), k: num(spec, 'k', params.k, true) });
  }
  if (kind === 'polygons') {
    allowOnly(spec, params, ['id', 'adjacency', 'order', 'file', 'snap']);
    const file = params.file ?? value;
    if (!file) throw bad(spec, 'give the GeoJSON file, e.g. polygons:beats.geojson,id=beat_num');
    return readPolygonUnits(file, {
      idProperty: params.id,
      adjacency: choice(spec, 'adjacency', params.adjacency, ['rook', 'queen'] as const),
      order: choice(spec, 'order', params.order, ['file', 'id'] as const),
      snap: num(spec, 'snap', params.snap),
    });
  }
  allowOnly(spec, params, ['origin', 'minLat', 'minLon', 'rows', 'cols']);
  if (value !== undefined) throw bad(spec, `unexpected value "${value}"`);
  const origin = choice(spec, 'origin', params.origin, ['chicago', 'data'] as const) ?? (incidents ? 'data' : 'chicago');
  let minLat = num(spec, 'minLat', params.minLat), minLon = num(spec, 'minLon', params.minLon);
  if (origin === 'chicago') {
    minLat ??= STSHN_CHICAGO_ORIGIN.minLat;
    minLon ??= STSHN_CHICAGO_ORIGIN.minLon;
  } else if (!incidents && (minLat === undefined || minLon === undefined)) throw bad(spec, 'origin=data needs incidents');
  return buildStshnGrid({ minLat, minLon, points: incidents, rows: num(spec, 'rows', params.rows, true), cols: num(spec, 'cols', params.cols, true) });
}

/** Rebuild a unit set from its serialised `spec` (as stored with a fitted model or a tensor). */
export function unitsFromSpec(spec: Record<string, unknown>): SpatialUnits {
  const s = spec as Record<string, never>;
  switch (spec.kind) {
    case 'grid':
      return gridUnits(
        { projection: s.projection, x0: s.x0, y0: s.y0, cell: s.cell, rows: s.rows, cols: s.cols },
        { adjacency: s.adjacency, keep: Array.isArray(spec.keep) ? Int32Array.from(spec.keep as number[]) : undefined },
      );
    case 'h3':
      return buildH3Units({ res: s.res, cells: s.cells, k: s.k });
    case 'polygons':
      if (typeof spec.source !== 'string') throw new UserError('this polygon unit set was built in memory and records no source file');
      return readPolygonUnits(spec.source, { idProperty: s.idProperty, adjacency: s.adjacency, snap: s.snap, order: s.order });
    case 'stshn-grid':
      return buildStshnGrid({ minLat: s.minLat, minLon: s.minLon, rows: s.rows, cols: s.cols, kmPerDegLat: s.kmPerDegLat, kmPerDegLon: s.kmPerDegLon, cellKm: s.cellKm, adjacency: s.adjacency });
    default:
      throw new UserError(`unknown unit-set kind "${String(spec.kind)}"`);
  }
}
