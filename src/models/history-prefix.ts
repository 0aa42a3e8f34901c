/**
 * The history as it stood at the start of period t: tensor periods [0, t), time-varying covariates of those
 * periods, and incidents before periodStart[t].
 * Validation inside an ensemble only ever shortens the history it was given, so it cannot reach past the
 * cut-off that the backtest applied.
 */
import type { History } from './forecaster.js';
import { slicePeriods } from '../tensor/count-tensor.js';
import { takeIncidents } from '../data/incident-table.js';
import { countBefore } from '../util/sorted.js';

export function historyBefore(h: History, t: number): History {
  const T = h.tensor.periods;
  if (!(t >= 0 && t <= T)) throw new RangeError(`historyBefore: period ${t} outside [0, ${T}]`);
  const out: History = { ...h, tensor: slicePeriods(h.tensor, 0, t) };
  const tc = h.timeCovariates;
  if (tc && tc.periods > t) {
    const w = (tc.perRegion ? h.tensor.regions : 1) * tc.names.length;
    out.timeCovariates = { ...tc, periods: t, values: tc.values.slice(0, t * w) };
  }
  const inc = h.incidents;
  if (!inc || t === T) return out;
  const cut = h.tensor.periodStart[t];
  let sorted = true;
  for (let i = 1; i < inc.n && sorted; i++) sorted = inc.t[i] >= inc.t[i - 1];
  if (sorted) {
    // the backtest hands time-sorted incident prefixes: a binary search finds the cut and views avoid copies
    const k = countBefore(inc.t, cut);
    out.incidents = {
      ...inc, n: k, id: inc.id.slice(0, k), t: inc.t.subarray(0, k), lat: inc.lat.subarray(0, k), lon: inc.lon.subarray(0, k),
      cat: inc.cat.subarray(0, k), attrs: inc.attrs && Object.fromEntries(Object.entries(inc.attrs).map(([n, c]) => [n, c.slice(0, k)])),
    };
    out.incidentRegion = h.incidentRegion?.subarray(0, k);
    out.incidentCategory = h.incidentCategory?.subarray(0, k);
  } else {
    const idx: number[] = [];
    for (let i = 0; i < inc.n; i++) if (inc.t[i] < cut) idx.push(i);
    out.incidents = takeIncidents(inc, idx);
    out.incidentRegion = h.incidentRegion && Int32Array.from(idx, (i) => h.incidentRegion![i]);
    out.incidentCategory = h.incidentCategory && Int32Array.from(idx, (i) => h.incidentCategory![i]);
  }
  return out;
}
