/**
 * The work behind GET /api/hotspots and GET /api/units, as one pure function of the incident coordinates, so it can
 * run in a worker thread (map-run.ts). Every step whose cost grows with the request is bounded before it runs:
 * regions (grid lattice size, distinct H3 cells), neighbour pairs of the weights, and the bytes of the answer.
 *
 * Grids use the dataset's frame (grid-frame.ts), not one starting at the selection's south-west-most incident. For
 * viewers it also applies the disclosure rules (viewer-policy.ts): H3 unit sets only of cells holding at least
 * `minCount` incidents, and counts of grid cells below `minCount` suppressed before any statistic sees them.
 */
import { latLngToCell } from 'h3-js';
import { suppressSmallCells } from '../../responsible/privacy/disclosure.js';
import { parseUnitSpec } from '../../space/build-units.js';
import { unitsToGeoJSON } from '../../space/geojson.js';
import { gridLattice, gridUnits } from '../../space/grid.js';
import { buildH3Units } from '../../space/h3.js';
import type { SpatialUnits } from '../../space/units.js';
import { giStar } from '../../stats/hotspot/gi-star.js';
import { hotspotsToGeoJSON } from '../../stats/hotspot/geojson.js';
import { globalMoran } from '../../stats/hotspot/moran-global.js';
import { localMoran } from '../../stats/hotspot/moran-local.js';
import { weightsFromSpec } from '../../stats/hotspot/weights-spec.js';
import { HttpError } from '../http-error.js';
import type { GridFrame } from './grid-frame.js';
import { LIMIT_OPTION, type MapLimits } from './map-limits.js';

export interface MapJob {
  kind: 'hotspots' | 'units';
  lat: Float64Array;
  lon: Float64Array;
  /** A validated server unit spec: grid:METRES or h3:RES. */
  units: string;
  /** The dataset's grid frame (null: the library's default, from the selection's extent). */
  frame: GridFrame | null;
  hotspot?: { method: 'gi*' | 'moran'; weights: string; fdr: boolean };
  /** Disclosure control for viewers (and the window they got, when widened); null for analysts and admins (who may read the points themselves). */
  viewer: { minCount: number; window?: { requested: { from?: string; to?: string }; applied: { from?: string; to?: string } } } | null;
  limits: Pick<MapLimits, 'maxCells' | 'maxNeighbourPairs' | 'maxPermutationWork' | 'maxResponseBytes'>;
}

export interface Disclosure {
  /** Cells (with at least one incident) withheld because they hold fewer than minCount incidents. */
  minCount: number;
  suppressedCells: number;
  suppressedIncidents: number;
}

export interface MapOutcome {
  /** The GeoJSON answer, UTF-8. */
  bytes: Uint8Array;
  regions: number;
  disclosure: Disclosure | null;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const bytesText = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`);

/** `cells` is the lattice size for grids, and for H3 the count at which counting stopped (one past the limit). */
function tooManyCells(spec: string, cells: number, max: number, h3: boolean): HttpError {
  const { value } = parseUnitSpec(spec);
  // a lattice's side grows by one cell per axis at the edges: aim 10% under the limit
  const coarser = h3 ? `h3:${Math.max(0, Number(value) - 1)} or coarser` : `grid:${Math.ceil(Number(value) * Math.sqrt(cells / (0.9 * max)) / 10) * 10} or larger`;
  // a grid covers the dataset's whole extent (grid-frame.ts), so only H3 sets shrink with the date range
  return new HttpError(422, h3 ? `units "${spec}" over this selection make more than ${fmt(max)} cells (limit ${fmt(max)} per request)` : `units "${spec}" over this dataset's extent make a lattice of ${fmt(cells)} cells (limit ${fmt(max)} per request)`,
    `use ${coarser}${h3 ? ', or a shorter date range' : ''}; an admin can raise the limit with crimecast serve ${LIMIT_OPTION.maxCells} N`);
}

/** The unit set and per-region incident counts, within the cell budget and (for viewers) the disclosure rules. */
export function buildMapUnits(job: MapJob): { units: SpatialUnits; counts: Float64Array; disclosure: Disclosure | null } {
  const { kind, value } = parseUnitSpec(job.units);
  const { lat, lon } = job;
  const max = job.limits.maxCells, k = job.viewer?.minCount ?? 1;
  let units: SpatialUnits;
  let disclosure: Disclosure | null = job.viewer ? { minCount: k, suppressedCells: 0, suppressedIncidents: 0 } : null;
  if (kind === 'grid') {
    const cell = Number(value);
    // lattice size first (a pass over the points), cells only once it is known to fit
    const g = gridLattice({ cell, points: { lat, lon }, ...(job.frame ?? {}), maxCells: Infinity });
    if (g.rows * g.cols > max) throw tooManyCells(job.units, g.rows * g.cols, max, false);
    units = gridUnits(g);
  } else {
    const res = Number(value);
    const perCell = new Map<string, number>();
    for (let i = 0; i < lat.length; i++) {
      if (!Number.isFinite(lat[i]) || !Number.isFinite(lon[i])) continue;
      const c = latLngToCell(lat[i], lon[i], res);
      perCell.set(c, (perCell.get(c) ?? 0) + 1);
      if (perCell.size > max) throw tooManyCells(job.units, perCell.size, max, true);
    }
    // an H3 unit set is the cells holding incidents: for viewers, only those holding at least k
    const cells: string[] = [];
    for (const [c, n] of perCell) {
      if (n >= k) cells.push(c);
      else { disclosure!.suppressedCells++; disclosure!.suppressedIncidents += n; }
    }
    if (cells.length === 0) throw new HttpError(422, `no H3 cell at resolution ${res} holds ${k} or more incidents of this selection`, 'use a coarser resolution or a longer date range');
    units = buildH3Units({ res, cells });
  }
  const region = units.assign(lat, lon);
  let counts = new Float64Array(units.n);
  for (let i = 0; i < region.length; i++) if (region[i] >= 0) counts[region[i]]++;
  if (job.viewer && kind === 'grid') {
    const s = suppressSmallCells(counts, k);
    // a withheld cell counts as empty: the statistics then cannot tell it from a cell without incidents
    counts = s.values.map((v) => (Number.isNaN(v) ? 0 : v));
    disclosure = { minCount: k, suppressedCells: s.suppressed, suppressedIncidents: s.suppressedIncidents };
  }
  return { units, counts, disclosure };
}

/** Neighbour pairs the weights spec will make on these units (exact for contiguity and knn, an estimate for bands). */
export function neighbourPairs(spec: string, units: SpatialUnits): number {
  const [kind, arg] = spec.split(':');
  const n = units.n, v = Number(arg);
  if (kind === 'contiguity') return units.adjacency.neighbors.length + n;
  if (kind === 'knn' && Number.isFinite(v)) return n * (Math.min(v, n - 1) + 1);
  if (kind === 'band' && Number.isFinite(v)) {
    let area = 0;
    for (let i = 0; i < n; i++) area += units.area[i];
    // cells whose centroids fall in a disc of radius v: π v² over the mean cell area (all cells, at most)
    return n * (Math.min(n - 1, Math.PI * v * v / (area / n)) + 1);
  }
  return 0; // a malformed spec: weightsFromSpec refuses it with the valid forms
}

const PERMUTATIONS = 499;

function checkPairs(spec: string, units: SpatialUnits, limits: MapJob['limits'], method: 'gi*' | 'moran'): void {
  const pairs = neighbourPairs(spec, units);
  // a permutation test draws each region's neighbours 499 times: its own, larger bound, in pairs
  const max = method === 'moran' ? Math.min(limits.maxNeighbourPairs, limits.maxPermutationWork / PERMUTATIONS) : limits.maxNeighbourPairs;
  if (pairs <= max) return;
  const option = max < limits.maxNeighbourPairs ? LIMIT_OPTION.maxPermutationWork : LIMIT_OPTION.maxNeighbourPairs;
  const kind = spec.split(':')[0];
  let smaller = 'fewer neighbours';
  if (kind === 'band') {
    let area = 0;
    for (let i = 0; i < units.n; i++) area += units.area[i];
    smaller = `band:${Math.max(1, Math.floor(Math.sqrt(max / units.n * (area / units.n) / Math.PI)))} or less`;
  } else if (kind === 'knn') smaller = `knn:${Math.max(1, Math.floor(max / units.n) - 1)} or less`;
  const what = option === LIMIT_OPTION.maxPermutationWork ? ` for local Moran's I with ${PERMUTATIONS} permutations each` : '';
  throw new HttpError(422, `weights "${spec}" on ${fmt(units.n)} regions make about ${fmt(pairs)} neighbour pairs (limit ${fmt(max)} per request${what})`,
    `use ${smaller}${kind === 'contiguity' ? '' : ' or contiguity'}, or coarser units${what ? ', or Gi*' : ''}; an admin can raise the limit with crimecast serve ${option} N`);
}

function encode(value: unknown, max: number): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  if (bytes.length > max) {
    throw new HttpError(422, `the answer would be ${bytesText(bytes.length)} (limit ${bytesText(max)} per request)`,
      `use coarser units or a shorter date range; an admin can raise the limit with crimecast serve ${LIMIT_OPTION.maxResponseBytes} N`);
  }
  return bytes;
}

export function computeMap(job: MapJob): MapOutcome {
  const { units, counts, disclosure } = buildMapUnits(job);
  const window = job.viewer?.window ? { window: { ...job.viewer.window, rule: 'widened to whole blocks of the minimum window, so two maps never differ by part of one' } } : {};
  const meta = disclosure ? { disclosure: { ...disclosure, rule: `cells holding 1–${disclosure.minCount - 1} incidents are withheld (shown as empty)`, ...window } } : {};
  if (job.kind === 'units') {
    const fc = unitsToGeoJSON(units);
    return { bytes: encode({ ...fc, crimecast: { regions: units.n, ...meta } }, job.limits.maxResponseBytes), regions: units.n, disclosure };
  }
  const h = job.hotspot!;
  checkPairs(h.weights, units, job.limits, h.method);
  let fc;
  if (h.method === 'gi*') fc = hotspotsToGeoJSON(units, giStar(counts, weightsFromSpec(h.weights, units, { includeSelf: true }), { fdr: h.fdr }));
  else {
    const w = weightsFromSpec(h.weights, units, { style: 'row' });
    fc = hotspotsToGeoJSON(units, localMoran(counts, w, { permutations: PERMUTATIONS, seed: 1 }), { global: globalMoran(counts, w, { permutations: PERMUTATIONS, seed: 1 }) });
  }
  return { bytes: encode({ ...fc, crimecast: { ...fc.crimecast, ...meta } }, job.limits.maxResponseBytes), regions: units.n, disclosure };
}
