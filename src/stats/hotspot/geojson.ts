/** Hot-spot results as GeoJSON: one Feature per region, the region's geometry, the result columns as properties. */
import type { AreaGeometry, SpatialUnits } from '../../space/units.js';
import { BIN_LABELS } from './confidence.js';
import type { EmergingResult } from './emerging.js';
import type { GiStarResult } from './gi-star.js';
import type { GlobalMoranResult } from './moran-global.js';
import type { LocalMoranResult } from './moran-local.js';

export type RegionResult = GiStarResult | LocalMoranResult | EmergingResult;
type Column = ArrayLike<number | string | null>;

export interface HotspotFeature {
  type: 'Feature';
  id: string;
  geometry: AreaGeometry;
  properties: Record<string, number | string | null>;
}
export interface HotspotFeatureCollection {
  type: 'FeatureCollection';
  features: HotspotFeature[];
  /** Foreign member: run-level facts (method, islands, global Moran's I …). */
  crimecast?: Record<string, unknown>;
}

/** Per-region property columns of a result, named for GIS attribute tables. */
export function hotspotColumns(r: RegionResult): Record<string, Column> {
  switch (r.method) {
    case 'gi*':
      return {
        gi_z: r.z, gi_p: r.p, ...(r.fdr ? { gi_q: r.q } : {}), gi_bin: r.bin,
        gi_label: Array.from(r.bin, (b, i) => (r.z[i] === null ? null : BIN_LABELS[b])), reason: r.reason,
      };
    case 'moran-local':
      return { lisa_i: r.I, lisa_z_sim: r.zSim, lisa_p_sim: r.pSim, lisa_quadrant: r.quadrant, lisa_cluster: r.cluster, reason: r.reason };
    case 'emerging':
      return {
        pattern: r.pattern, trend_z: r.trendZ, trend_p: r.trendP, trend_s: r.trendS,
        hot_bins: r.hotCount, cold_bins: r.coldCount, final_bin: r.finalBin, reason: r.reason,
      };
  }
}

function clean(v: number | string | null): number | string | null {
  // JSON has no NaN/Infinity: never let one through as a silent null-lookalike.
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite value ${v} in hot-spot output`);
  return v;
}

export function hotspotsToGeoJSON(units: SpatialUnits, result: RegionResult, extra: { global?: GlobalMoranResult } = {}): HotspotFeatureCollection {
  if (result.n !== units.n) throw new Error(`result has ${result.n} regions, units have ${units.n}`);
  const cols = Object.entries(hotspotColumns(result));
  const features: HotspotFeature[] = new Array(units.n);
  for (let i = 0; i < units.n; i++) {
    const properties: Record<string, number | string | null> = { region: units.ids[i] };
    for (const [name, col] of cols) properties[name] = clean(col[i]);
    features[i] = { type: 'Feature', id: units.ids[i], geometry: units.geometry(i), properties };
  }
  return { type: 'FeatureCollection', features, crimecast: runSummary(result, units, extra.global) };
}

/** Counts and flags worth printing or storing beside the features. */
export function runSummary(result: RegionResult, units: Pick<SpatialUnits, 'ids'>, global?: GlobalMoranResult): Record<string, unknown> {
  const tally = (col: ArrayLike<string | number | null>) => {
    const m: Record<string, number> = {};
    for (let i = 0; i < col.length; i++) { const k = String(col[i]); m[k] = (m[k] ?? 0) + 1; }
    return m;
  };
  const base = {
    method: result.method,
    regions: result.n,
    islands: result.islands.map((i) => units.ids[i]),
    singleNeighbour: result.singleNeighbour.map((i) => units.ids[i]),
  };
  switch (result.method) {
    case 'gi*':
      return { ...base, fdr: result.fdr, bins: tally(Array.from(result.bin, (b, i) => (result.z[i] === null ? 'undefined' : BIN_LABELS[b]))) };
    case 'moran-local': {
      const g = global ? { I: global.I, expected: global.expected, normality: global.normality, randomisation: global.randomisation, permutation: global.permutation, reason: global.reason } : undefined;
      return { ...base, permutations: result.permutations, alpha: result.alpha, clusters: tally(result.cluster), ...(g ? { global: g } : {}) };
    }
    case 'emerging':
      return { ...base, periods: result.periods, timeWindow: result.timeWindow, alpha: result.alpha, fdr: result.fdr, patterns: tally(result.pattern) };
  }
}
