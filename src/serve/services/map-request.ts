/**
 * One aggregate-map read (hot spots or unit polygons) as the routes serve it: the viewer rules checked before any
 * data is loaded, the incidents loaded, the work run off the event loop within the per-request bounds, and the read
 * written to the access log (who, which dataset, units, window, how many incidents, what was withheld).
 */
import type { UserRecord } from '../auth/users.js';
import type { ServeContext } from '../context.js';
import { HttpError } from '../http-error.js';
import type { MapJob } from './aggregate-map.js';
import { gridFrame } from './grid-frame.js';
import { checkUnits } from './spec.js';
import { checkViewerUnits, checkViewerWindow, viewerWindow } from './viewer-policy.js';

export interface MapQuery { dataset: string; units: string; from?: string; to?: string; category?: string }

export async function serveMap(ctx: ServeContext, user: UserRecord, q: MapQuery, kind: MapJob['kind'], hotspot?: MapJob['hotspot']): Promise<Uint8Array> {
  checkUnits(q.units);
  const viewer = user.role === 'viewer';
  const action = `${kind}.read`;
  const logged = { units: q.units, from: q.from, to: q.to, category: q.category, ...(hotspot ? { method: hotspot.method, weights: hotspot.weights } : {}) };
  let days: number | undefined;
  const info = await ctx.datasets.info(q.dataset);
  const requested = { from: q.from, to: q.to };
  if (viewer) {
    try {
      checkViewerUnits(q.units, ctx.viewerPolicy);
      // whole blocks only (see viewerWindow), and said so in the answer and the log
      q = { ...q, ...viewerWindow(q, ctx.viewerPolicy) };
      days = checkViewerWindow(q, info, ctx.viewerPolicy);
    } catch (e) {
      // refused attempts are part of the record too
      if (e instanceof HttpError && e.status === 403) ctx.access.write({ user: user.name, role: user.role, action: `${kind}.refused`, dataset: q.dataset, query: logged });
      throw e;
    }
  }
  const { t, out } = await ctx.maps.slot(async (compute) => {
    const t = await ctx.datasets.incidents(q.dataset, { from: q.from, to: q.to, categories: q.category ? [q.category] : undefined });
    if (t.n === 0) throw new HttpError(422, kind === 'units' ? `dataset "${q.dataset}" has no incidents to lay units over` : 'no incidents match the selection');
    const out = await compute({
      kind, lat: t.lat.slice(), lon: t.lon.slice(), units: q.units, hotspot, frame: info.bbox ? gridFrame(info.bbox) : null,
      viewer: viewer ? { minCount: ctx.viewerPolicy.minCount, ...(q.from !== requested.from || q.to !== requested.to ? { window: { requested, applied: { from: q.from, to: q.to } } } : {}) } : null,
      limits: ctx.mapLimits,
    });
    return { t: { n: t.n }, out };
  }, user.name);
  ctx.access.write({
    user: user.name, role: user.role, action, dataset: q.dataset, records: t.n,
    query: { ...logged, ...(viewer ? { appliedFrom: q.from, appliedTo: q.to } : {}), regions: out.regions, ...(out.disclosure ? { days, minCount: out.disclosure.minCount, suppressedCells: out.disclosure.suppressedCells, suppressedIncidents: out.disclosure.suppressedIncidents } : {}) },
  });
  return out.bytes;
}
