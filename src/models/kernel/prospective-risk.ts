/**
 * Bowers, Johnson & Pease (2004) prospective hot-spotting: risk at a target point is the sum over recent
 * events within the bandwidth of 1/(1 + distance band) × 1/(1 + week band), where the distance band is
 * the number of whole `band` widths between event and target and the week band the event's age in whole weeks
 * Optional weights `w` multiply each event (counts, when events are aggregated region centroids)
 * (so an event this week in the same band weighs 1, one two bands away last week weighs 1/3 × 1/2).
 */
import KDBush from 'kdbush';

export interface ProspectiveOptions {
  /** Search radius, metres (BJP: 400 m). */
  bandwidth: number;
  /** Width of one distance band, metres (BJP: the 50 m grid cell). */
  band: number;
  /** Only events younger than this many weeks count (BJP: 1–2 months). */
  weeks: number;
}

export function prospectiveRisk(
  ev: { x: Float64Array; y: Float64Array; ageDays: Float64Array; w?: Float64Array },
  target: { x: Float64Array; y: Float64Array },
  o: ProspectiveOptions,
): Float64Array {
  const keep: number[] = [];
  for (let i = 0; i < ev.x.length; i++) if (ev.ageDays[i] >= 0 && ev.ageDays[i] < o.weeks * 7) keep.push(i);
  const risk = new Float64Array(target.x.length);
  if (keep.length === 0) return risk;
  const index = new KDBush(keep.length);
  for (const i of keep) index.add(ev.x[i], ev.y[i]);
  index.finish();
  for (let r = 0; r < risk.length; r++) {
    let s = 0;
    for (const k of index.within(target.x[r], target.y[r], o.bandwidth)) {
      const i = keep[k];
      const d = Math.hypot(ev.x[i] - target.x[r], ev.y[i] - target.y[r]);
      s += (ev.w ? ev.w[i] : 1) / (1 + Math.floor(d / o.band)) / (1 + Math.floor(ev.ageDays[i] / 7));
    }
    risk[r] = s;
  }
  return risk;
}
