/**
 * The size of a backtest's or forecast's count tensor, known before it is built: regions (grid lattice cells, or
 * distinct H3 cells holding incidents) × periods spanned × categories. A request over the cell or tensor bound is
 * refused with a 422 before a worker allocates gigabytes for it. One pass over the coordinates (~0.1 s a million).
 */
import { latLngToCell } from 'h3-js';
import type { IncidentTable } from '../../data/incident-table.js';
import { parseUnitSpec } from '../../space/build-units.js';
import { gridLattice } from '../../space/grid.js';
import type { PeriodUnit } from '../../time/bins.js';
import { HttpError } from '../http-error.js';
import type { GridFrame } from './grid-frame.js';
import { LIMIT_OPTION, type MapLimits } from './map-limits.js';

const PERIOD_MS: Record<PeriodUnit, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 28 * 86_400_000 };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Regions the unit spec makes over these incidents (grids: over `frame`'s extent when given), counting no further than `stopAfter`. */
export function regionCount(spec: string, t: Pick<IncidentTable, 'lat' | 'lon'>, stopAfter: number, frame?: GridFrame): number {
  const { kind, value } = parseUnitSpec(spec);
  if (kind === 'grid') {
    const g = gridLattice({ cell: Number(value), points: t, ...frame, maxCells: Infinity });
    return g.rows * g.cols;
  }
  const res = Number(value), seen = new Set<string>();
  for (let i = 0; i < t.lat.length && seen.size <= stopAfter; i++) {
    if (Number.isFinite(t.lat[i]) && Number.isFinite(t.lon[i])) seen.add(latLngToCell(t.lat[i], t.lon[i], res));
  }
  return seen.size;
}

export function checkAnalysisBudget(spec: string, period: PeriodUnit, categories: number, t: IncidentTable, limits: Pick<MapLimits, 'maxCells' | 'maxTensorValues'>, frame?: GridFrame): void {
  if (t.n === 0) return;
  const regions = regionCount(spec, t, limits.maxCells, frame);
  if (regions > limits.maxCells) {
    throw new HttpError(422, `units "${spec}" over this dataset make ${spec.startsWith('h3') ? 'more than ' : ''}${fmt(Math.min(regions, spec.startsWith('h3') ? limits.maxCells : regions))} regions (limit ${fmt(limits.maxCells)} per request)`,
      `use coarser units; an admin can raise the limit with crimecast serve ${LIMIT_OPTION.maxCells} N`);
  }
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < t.n; i++) { if (t.t[i] < lo) lo = t.t[i]; if (t.t[i] > hi) hi = t.t[i]; }
  const periods = Math.floor((hi - lo) / PERIOD_MS[period]) + 2;
  const values = regions * periods * Math.max(1, categories);
  if (values > limits.maxTensorValues) {
    throw new HttpError(422, `${fmt(regions)} regions × ${fmt(periods)} ${period}s × ${categories} categories is ${fmt(values)} counts (limit ${fmt(limits.maxTensorValues)} per request)`,
      `use coarser units, a longer period or fewer categories; an admin can raise the limit with crimecast serve ${LIMIT_OPTION.maxTensorValues} N`);
  }
}
