/**
 * One grid per dataset for everything the server draws (forecasts, backtests, unit polygons, hot spots): covering the
 * dataset's whole extent (so a date filter does not renumber the cells), with cell edges aligned to whole degrees, in
 * a transverse Mercator centred on the extent rounded to 0.1°. The library's
 * default frame starts exactly at the south-west-most incident, which put one incident's coordinates in every map a
 * viewer could see, and differed with each date filter, so hot-spot cells did not line up with forecast cells.
 */
import type { BBox } from '../../space/bbox.js';
import { parseUnitSpec } from '../../space/build-units.js';
import { tmercDef } from '../../space/projection.js';

/** [minLon, minLat, maxLon, maxLat], as DatasetInfo.bbox. */
export type Extent = [number, number, number, number];

export interface GridFrame { origin: { lat: number; lon: number }; projection: string; bbox: BBox }

export function gridFrame(e: Extent): GridFrame {
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    origin: { lat: Math.floor(e[1]), lon: Math.floor(e[0]) },
    projection: tmercDef(r1((e[1] + e[3]) / 2), r1((e[0] + e[2]) / 2)),
    bbox: { minLon: e[0], minLat: e[1], maxLon: e[2], maxLat: e[3] },
  };
}

/** The dataset's extent as a grid bbox (null: none recorded, the grid covers the incidents it is given). */
export function extentBBox(e: Extent | null): BBox | undefined {
  return e ? gridFrame(e).bbox : undefined;
}

/** A server unit spec with the dataset's frame spelled out ("grid:500" → "grid:cell=500,origin=…,proj=…"); H3 as it is. */
export function framedUnits(spec: string, bbox: Extent | null): string {
  const { kind, value } = parseUnitSpec(spec);
  if (kind !== 'grid' || !bbox) return spec;
  const f = gridFrame(bbox);
  return `grid:cell=${value},origin=${f.origin.lat}/${f.origin.lon},proj=${f.projection}`;
}
