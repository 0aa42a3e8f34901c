/**
 * Planar coordinates of a history's incidents, projected once and extended as the history grows. A backtest hands
 * the kernel models a longer prefix of the same incidents at every origin; re-projecting all of them with proj4 on
 * every fit was ~10% of a daily-refit KDE backtest. The cache keeps copies of the inputs it projected and checks the
 * new call's prefix against them value by value (cheap beside proj4), so a caller that rewrites its arrays in place
 * gets fresh coordinates, never stale ones.
 */
import type { Projection } from '../../space/projection.js';

interface Entry { def: string; lat: Float64Array; lon: Float64Array; x: Float64Array; y: Float64Array; n: number }

const cache = new WeakMap<ArrayBufferLike, Entry>();

/** x, y (metres) of every (lat, lon); the returned arrays are shared with the cache: read them, do not write. */
export function projectIncidents(proj: Projection, lat: Float64Array, lon: Float64Array): { x: Float64Array; y: Float64Array } {
  const n = lat.length;
  let e = cache.get(lat.buffer);
  let same = 0;
  if (e && e.def === proj.def) {
    const m = Math.min(n, e.n);
    while (same < m && Object.is(e.lat[same], lat[same]) && Object.is(e.lon[same], lon[same])) same++;
  } else e = undefined;
  if (e && same === n) return { x: e.x.subarray(0, n), y: e.y.subarray(0, n) };
  const cap = Math.max(n, e ? Math.min(2 * e.lat.length, n * 2) : n);
  const next: Entry = e && e.lat.length >= n ? e : {
    def: proj.def, lat: new Float64Array(cap), lon: new Float64Array(cap), x: new Float64Array(cap), y: new Float64Array(cap), n: 0,
  };
  if (next !== e && e) {
    next.lat.set(e.lat.subarray(0, same)); next.lon.set(e.lon.subarray(0, same));
    next.x.set(e.x.subarray(0, same)); next.y.set(e.y.subarray(0, same));
  }
  const p = proj.forward(lat.subarray(same), lon.subarray(same));
  next.lat.set(lat.subarray(same), same); next.lon.set(lon.subarray(same), same);
  next.x.set(p.x, same); next.y.set(p.y, same);
  next.n = n;
  cache.set(lat.buffer, next);
  return { x: next.x.subarray(0, n), y: next.y.subarray(0, n) };
}
