/**
 * The excitation a continuous SEPP carries past its cut-off, per category and region:
 *   S_rc(E) = Σ_{events i of category c before E} e^{−ω_c (E − t_i)} ∫_r N(x − x_i; σ_c²),
 * kept from one forecast to the next and advanced instead of recomputed: moving the cut-off from E to E' scales
 * every term by e^{−ω(E'−E)} and adds the events of [E, E'), whose Gaussians are scattered onto the region raster
 * (region-scatter.ts, linear in the points, so the sum equals a redraw). Redrawing from scratch each predicted day
 * (a full-raster KDE per category, 1.48 s a day on Chicago at 250 m) is what this replaces; it remains the path for
 * the first forecast after a fit, and whenever the history is not an extension of the one seen (shorter, or an
 * incident before the old cut-off added, removed or moved: checked with an order-free hash).
 */
import type { IncidentTable } from '../../data/incident-table.js';
import type { SpatialUnits } from '../../space/units.js';
import { kdeAtRegions } from '../kernel/region-kde.js';
import { addGaussianRegionMass } from '../kernel/region-scatter.js';
import { unitsProjection } from '../kernel/region-raster.js';
import { DAY_MS } from './time-window.js';

/** Triggering of one category: decay ω (per day) and spatial σ (metres). */
export interface CategoryTrigger { omega: number; sigma: number }

/** Events older than this many decay times are left out of a redraw (weight < e^-40); advancing keeps them, decayed. */
const HORIZON_DECAYS = 40;

/** Order-free hash of the located, categorised incidents before `endMs`: a count and a sum of mixed bits. */
function prefixHash(inc: IncidentTable, cat: Int32Array, endMs: number): { n: number; h: number } {
  let n = 0, h = 0;
  for (let i = 0; i < inc.n; i++) {
    if (!(inc.t[i] < endMs) || cat[i] < 0 || !Number.isFinite(inc.lat[i]) || !Number.isFinite(inc.lon[i])) continue;
    n++;
    h = (h + mix(inc.t[i], inc.lat[i], inc.lon[i], cat[i])) >>> 0;
  }
  return { n, h };
}

function mix(t: number, lat: number, lon: number, c: number): number {
  let a = Math.imul((t / 1000) | 0, 0x9e3779b1) ^ Math.imul(Math.round(lat * 1e7), 0x85ebca6b);
  a ^= Math.imul(Math.round(lon * 1e7), 0xc2b2ae35) ^ Math.imul(c + 1, 0x27d4eb2f);
  a = Math.imul(a ^ (a >>> 15), 0x2c1b3c6d);
  return (a ^ (a >>> 13)) >>> 0;
}

export class ExcitationState {
  /** Region excitation per category at `endMs`. */
  ex: Float64Array[] = [];
  endMs = NaN;
  redraws = 0;
  advances = 0;
  private units: SpatialUnits | null = null;
  private seen = { n: 0, h: 0 };

  constructor(private readonly triggers: CategoryTrigger[]) {}

  /** Brings the excitation to cut-off `endMs` of this history: advance when it extends the one seen, else redraw. */
  sync(inc: IncidentTable, cat: Int32Array, units: SpatialUnits, endMs: number): void {
    const extends_ = this.units === units && endMs >= this.endMs;
    if (extends_) {
      const h = prefixHash(inc, cat, this.endMs);
      if (h.n === this.seen.n && h.h === this.seen.h) {
        if (endMs > this.endMs) this.advance(inc, cat, units, endMs);
        return;
      }
    }
    this.redraw(inc, cat, units, endMs);
  }

  private redraw(inc: IncidentTable, cat: Int32Array, units: SpatialUnits, endMs: number): void {
    this.ex = this.triggers.map(({ omega, sigma }, c) => {
      const idx = select(inc, cat, c, endMs - (HORIZON_DECAYS / omega) * DAY_MS, endMs);
      const w = Float64Array.from(idx, (i) => Math.exp((-omega * (endMs - inc.t[i])) / DAY_MS));
      return kdeAtRegions(
        { lat: Float64Array.from(idx, (i) => inc.lat[i]), lon: Float64Array.from(idx, (i) => inc.lon[i]), w },
        units, { kernel: 'gaussian', bandwidth: sigma, edgeCorrection: 'none' },
      ).mass;
    });
    this.units = units;
    this.endMs = endMs;
    this.seen = prefixHash(inc, cat, endMs);
    this.redraws++;
  }

  private advance(inc: IncidentTable, cat: Int32Array, units: SpatialUnits, endMs: number): void {
    const proj = unitsProjection(units);
    this.triggers.forEach(({ omega, sigma }, c) => {
      const ex = this.ex[c], decay = Math.exp((-omega * (endMs - this.endMs)) / DAY_MS);
      for (let r = 0; r < ex.length; r++) ex[r] *= decay;
      const idx = select(inc, cat, c, this.endMs, endMs);
      if (idx.length === 0) return;
      const { x, y } = proj.forward(Float64Array.from(idx, (i) => inc.lat[i]), Float64Array.from(idx, (i) => inc.lon[i]));
      const w = Float64Array.from(idx, (i) => Math.exp((-omega * (endMs - inc.t[i])) / DAY_MS));
      addGaussianRegionMass(x, y, w, units, sigma, ex);
    });
    this.endMs = endMs;
    this.seen = prefixHash(inc, cat, endMs);
    this.advances++;
  }
}

/** Located incidents of category c in [fromMs, toMs). */
function select(inc: IncidentTable, cat: Int32Array, c: number, fromMs: number, toMs: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < inc.n; i++) {
    if (cat[i] === c && inc.t[i] >= fromMs && inc.t[i] < toMs && Number.isFinite(inc.lat[i]) && Number.isFinite(inc.lon[i])) out.push(i);
  }
  return Int32Array.from(out);
}
