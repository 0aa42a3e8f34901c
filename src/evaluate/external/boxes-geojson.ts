/**
 * Vendor "boxes": a GeoJSON FeatureCollection of Polygon / MultiPolygon features, each flagged for one period
 * (property `period`, `date` or `start`: the period's start in the run's time zone) or a span of periods (plus
 * `end`, exclusive), optionally for one `category` (default: all). No values: each unit's risk in a period is
 * the share of its area the period's boxes cover (overlapping boxes are not counted twice: the share is capped
 * at 1). Scored only by hot-spot metrics, at the boxes' own coverage and the run's shared coverages.
 * GeoPackage / Shapefile are not read: no well-kept npm library reads them offline without native code;
 * convert with `ogr2ogr -f GeoJSON boxes.geojson boxes.gpkg`.
 */
import Flatbush from 'flatbush';
import { readFeatureCollection } from '../../space/geojson.js';
import { areaAndCentroid, projectGeometry, ringsBBox } from '../../space/geom.js';
import { localProjection } from '../../space/projection.js';
import type { AreaGeometry } from '../../space/units.js';
import { UserError } from '../../util/errors.js';
import { categoryResolver, parsePeriodStart, periodResolver } from './keys.js';
import { intersectionArea } from './overlap.js';
import type { ExternalContext, ExternalSpec, ExternalValues } from './types.js';

const PERIOD_PROPS = ['period', 'date', 'start', 'period_start', 'day'];

export function loadBoxes(spec: ExternalSpec, ctx: ExternalContext): ExternalValues {
  const { tensor, units, testStart, testEnd } = ctx;
  const file = spec.file;
  if (!units) throw new UserError(`${file}: box forecasts need the run's unit geometry, which this protocol does not have`);
  const fc = readFeatureCollection(file);
  if (fc.features.length === 0) throw new UserError(`${file}: no features`, 'give one polygon per flagged area and period');
  const R = tensor.regions, C = tensor.categories, RC = R * C, T = testEnd - testStart;
  // project units and boxes with one local projection
  let clat = 0, clon = 0;
  for (let r = 0; r < R; r++) { clat += units.centroidLat[r]; clon += units.centroidLon[r]; }
  const proj = localProjection(clat / R, clon / R);
  const unitPolys = Array.from({ length: R }, (_, r) => projectGeometry(units.geometry(r), proj));
  const unitArea = unitPolys.map((p) => areaAndCentroid(p).area);
  const index = new Flatbush(R);
  for (const p of unitPolys) { const [a, b, c, d] = ringsBBox(p); index.add(a, b, c, d); }
  index.finish();
  const periods = periodResolver(tensor, testStart, testEnd);
  const catOf = categoryResolver(tensor);
  const values = new Float32Array(T * RC);
  let capped = 0;
  fc.features.forEach((f, k) => {
    const at = `${file} feature ${k}`;
    const g = f.geometry as AreaGeometry | null;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw new UserError(`${at}: geometry ${(f.geometry as { type?: string } | null)?.type ?? 'null'} is not a Polygon or MultiPolygon`, 'boxes must be areas');
    const props = f.properties ?? {};
    const pKey = PERIOD_PROPS.find((p) => props[p] !== undefined && props[p] !== null);
    if (!pKey) throw new UserError(`${at}: no period property (${PERIOD_PROPS.join(' / ')})`, `give each box the start of the period it is for, e.g. "date": "${periods.window.slice(0, 10)}"`);
    const from = periods.resolve(String(props[pKey]));
    if ('error' in from) throw new UserError(`${at}: ${from.error}`, from.fix);
    let to = from.p + 1;
    if (props.end !== undefined && props.end !== null) {
      // exclusive end: every test period starting before it
      const tEnd = parsePeriodStart(String(props.end), tensor.tz);
      if (Number.isNaN(tEnd)) throw new UserError(`${at}: end "${String(props.end)}" is not a date`, `write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM in ${tensor.tz}`);
      to = from.p;
      while (to < T && tensor.periodStart[testStart + to] < tEnd) to++;
      if (to <= from.p) throw new UserError(`${at}: end ${String(props.end)} is not after ${String(props[pKey])}`, 'end is exclusive: the start of the first period not covered');
    }
    let cats = Array.from({ length: C }, (_, c) => c);
    if (props.category !== undefined && props.category !== null) {
      const c = catOf(String(props.category));
      if (c < 0) throw new UserError(`${at}: unknown category "${String(props.category)}"`, `use one of ${tensor.categoryNames.join(', ')}, or leave it out for all categories`);
      cats = [c];
    }
    const box = projectGeometry(g, proj);
    const [x0, y0, x1, y1] = ringsBBox(box);
    let touched = 0;
    for (const r of index.search(x0, y0, x1, y1)) {
      const a = intersectionArea(box, unitPolys[r]);
      if (a === null) throw new UserError(`${at}: neither the box nor unit ${tensor.regionIds[r]} is a single convex polygon, so their overlap is not computed`, 'split the box into convex parts (rectangles) or use grid units');
      const share = unitArea[r] > 0 ? a / unitArea[r] : 0;
      if (share <= 1e-9) continue;
      touched++;
      for (let p = from.p; p < to; p++) for (const c of cats) {
        const i = (p * R + r) * C + c;
        const v = values[i] + share;
        if (v > 1 + 1e-6) capped++;
        values[i] = Math.min(1, v);
      }
    }
    if (touched === 0) throw new UserError(`${at}: the box touches no unit of this run`, 'check the coordinates are WGS84 lon/lat ([lon, lat] order) and inside the study area');
  });
  const notes = [`${fc.features.length} boxes; a unit's risk is the share of its area covered`];
  if (capped) notes.push(`overlapping boxes: ${capped} unit-periods covered more than once, counted once (share capped at 1)`);
  return { kind: 'boxes', values, notes };
}
