/**
 * Events of a grid ETAS model as (stream, time) pairs: a stream is one (region, category) cell series,
 * stream = region * categories + category. Continuous incident times are used when the History has them;
 * otherwise each count of the tensor becomes that many events placed inside their period — uniformly at
 * random (seeded; avoids the artificial zero gaps that would make every same-period pair look like
 * instant triggering) or at the period midpoint.
 */
import type { History } from '../forecaster.js';
import { Rng } from '../../util/rng.js';
import { DAY_MS, type FitWindow } from './time-window.js';

export type TensorPlacement = 'random' | 'midpoint';

export interface GridEvents {
  /** Event times, days since the window start. */
  t: Float64Array;
  stream: Int32Array;
  nStreams: number;
  /** True when times came from the incident table. */
  continuous: boolean;
}

export function gridEventsFromHistory(
  h: History,
  win: FitWindow,
  opts: { placement?: TensorPlacement; seed?: number; useIncidents?: boolean } = {},
): GridEvents {
  const tens = h.tensor;
  const C = tens.categories;
  const nStreams = tens.regions * C;
  if (opts.useIncidents !== false && h.incidents && h.incidentRegion && h.incidentCategory) {
    const inc = h.incidents;
    let m = 0;
    for (let i = 0; i < inc.n; i++) {
      if (h.incidentRegion[i] >= 0 && h.incidentCategory[i] >= 0 && inc.t[i] >= win.startMs && inc.t[i] < win.endMs) m++;
    }
    const t = new Float64Array(m), stream = new Int32Array(m);
    let k = 0;
    for (let i = 0; i < inc.n; i++) {
      const r = h.incidentRegion[i], c = h.incidentCategory[i], ti = inc.t[i];
      if (r < 0 || c < 0 || ti < win.startMs || ti >= win.endMs) continue;
      t[k] = (ti - win.startMs) / DAY_MS;
      stream[k++] = r * C + c;
    }
    return { t, stream, nStreams, continuous: true };
  }
  const stride = tens.regions * C;
  let m = 0;
  for (let i = win.firstPeriod * stride; i < tens.data.length; i++) m += Math.max(0, Math.round(tens.data[i]));
  const t = new Float64Array(m), stream = new Int32Array(m);
  const rng = new Rng(opts.seed ?? 1);
  const random = (opts.placement ?? 'random') === 'random';
  let k = 0;
  for (let p = win.firstPeriod; p < tens.periods; p++) {
    const a = (tens.periodStart[p] - win.startMs) / DAY_MS;
    const b = p + 1 < tens.periods ? (tens.periodStart[p + 1] - win.startMs) / DAY_MS : win.T;
    for (let s = 0; s < stride; s++) {
      const n = Math.max(0, Math.round(tens.data[p * stride + s]));
      for (let j = 0; j < n; j++) {
        t[k] = random ? a + (b - a) * rng.random() : (a + b) / 2;
        stream[k++] = s;
      }
    }
  }
  return { t, stream, nStreams, continuous: false };
}
