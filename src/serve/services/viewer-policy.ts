/**
 * What a viewer (not an analyst) may see of incident data: aggregates only, no finer than a minimum cell size and a
 * minimum time window, with cells holding fewer than `minCount` incidents suppressed (src/responsible/privacy's
 * small-cell rule). Without these a viewer could ask for 66 m H3 cells over one day and read off where each
 * incident happened. Analysts and admins may read incident points anyway, so the policy is for viewers only.
 */
import { getHexagonAreaAvg } from 'h3-js';
import type { DatasetInfo } from '../../data/store.js';
import { parseUnitSpec } from '../../space/build-units.js';
import { floorToPeriod, isoLocal, localDateToUtc, stepPeriod } from '../../time/bins.js';
import { UserError } from '../../util/errors.js';
import { HttpError } from '../http-error.js';

export interface ViewerPolicy {
  /** Smallest grid cell side, metres; H3 resolutions are allowed while their mean cell is at least this square. */
  minCellMetres: number;
  /** Shortest time window of a viewer's aggregate, days. */
  minDays: number;
  /** Cells with fewer incidents (but more than none) are withheld from viewers. */
  minCount: number;
}

export const DEFAULT_VIEWER_POLICY: ViewerPolicy = { minCellMetres: 250, minDays: 7, minCount: 3 };

const OPTION_HINT = 'analysts may ask for finer maps; an admin sets the viewer minimum with crimecast serve --viewer-min-cell, --viewer-min-days and --viewer-min-count';

/** Finest H3 resolution whose mean hexagon is at least minCellMetres square (250 m → 9, whose cells are ~325 m across). */
export function finestViewerH3(p: ViewerPolicy): number {
  let res = 0;
  while (res < 15 && Math.sqrt(getHexagonAreaAvg(res + 1, 'm2')) >= p.minCellMetres) res++;
  return res;
}

/** 403 when a viewer asks for units finer than the policy's minimum. */
export function checkViewerUnits(spec: string, p: ViewerPolicy): void {
  const { kind, value } = parseUnitSpec(spec);
  const v = Number(value);
  if (kind === 'grid' && v < p.minCellMetres) {
    throw new HttpError(403, `viewers see maps of ${p.minCellMetres} m cells or coarser; "${spec}" is finer`, `use grid:${p.minCellMetres} or larger; ${OPTION_HINT}`);
  }
  const finest = finestViewerH3(p);
  if (kind === 'h3' && v > finest) {
    throw new HttpError(403, `viewers see H3 resolution ${finest} or coarser (cells of at least ${p.minCellMetres} m); "${spec}" is finer`, `use h3:${finest} or lower; ${OPTION_HINT}`);
  }
}

const DAY = 86_400_000;
/** Blocks of minDays days are counted from Monday 5 January 1970, so weekly blocks run Monday to Sunday. */
const BLOCK_ANCHOR = Date.UTC(1970, 0, 5);
const dateNumber = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
const dateText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A viewer's from/to widened to whole blocks of `minDays` days on a fixed calendar (Monday-to-Sunday weeks at 7).
 * Without it two overlapping windows (Feb 5–11 and Feb 6–12) differ by one day at each end, and subtracting one
 * map from the other reads single days back out. Widened, any two windows differ by whole blocks.
 */
export function viewerWindow(q: { from?: string; to?: string }, p: ViewerPolicy): { from?: string; to?: string } {
  const block = p.minDays * DAY;
  const out: { from?: string; to?: string } = {};
  if (q.from) out.from = dateText(BLOCK_ANCHOR + Math.floor((dateNumber(q.from) - BLOCK_ANCHOR) / block) * block);
  if (q.to) out.to = dateText(BLOCK_ANCHOR + (Math.floor((dateNumber(q.to) - BLOCK_ANCHOR) / block) + 1) * block - DAY);
  return out;
}

/**
 * The time window an aggregate covers: the requested dates clipped to the dataset's span (whole local days), so
 * asking for a week that holds one day of data counts as one day. 403 when a viewer's is shorter than the minimum.
 * Returns the window's length in days.
 */
export function checkViewerWindow(q: { from?: string; to?: string }, info: DatasetInfo, p: ViewerPolicy): number {
  if (!info.from || !info.to) return 0;
  const tz = info.tz;
  const day = (t: number) => floorToPeriod(t, 'day', tz);
  let lo = day(Date.parse(info.from)), hi = stepPeriod(day(Date.parse(info.to)), 'day', tz);
  try {
    if (q.from) lo = Math.max(lo, localDateToUtc(q.from, tz));
    if (q.to) hi = Math.min(hi, stepPeriod(localDateToUtc(q.to, tz), 'day', tz));
  } catch (e) {
    if (e instanceof UserError) throw new HttpError(400, e.message, e.hint);
    throw e;
  }
  const days = Math.max(0, (hi - lo) / 86_400_000);
  // an hour's slack for the 23-hour day of a daylight-saving change
  if (hi - lo + 3_600_000 < p.minDays * 86_400_000) {
    throw new HttpError(403, `viewers see aggregates over at least ${p.minDays} days; this selection covers ${days.toFixed(1)} days of data`,
      `widen from/to to ${p.minDays} days or more; ${OPTION_HINT}`);
  }
  return +days.toFixed(2);
}

/**
 * A dataset summary for a viewer: the extent is the outermost incidents' coordinates and the time span the first and
 * last incidents' instants, so both are coarsened (extent outward to 0.01°, about 1 km; times to the local date).
 */
export function viewerDatasetInfo(d: DatasetInfo): DatasetInfo & { coarsened: string } {
  const down = (v: number) => Math.floor(v * 100) / 100, up = (v: number) => Math.ceil(v * 100) / 100;
  const day = (iso: string | null) => (iso ? isoLocal(Date.parse(iso), d.tz).slice(0, 10) : null);
  return {
    ...d,
    bbox: d.bbox ? [down(d.bbox[0]), down(d.bbox[1]), up(d.bbox[2]), up(d.bbox[3])] : null,
    from: day(d.from), to: day(d.to),
    coarsened: 'for viewers: extent rounded outward to 0.01°, first and last incident to their local date',
  };
}
