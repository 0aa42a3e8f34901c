/**
 * Group weights per region for the fairness audit, from a demographics table (population counts by group) or
 * by splitting regions into quantile bands of an attribute (e.g. hardship index terciles, weighted by population).
 */
import { joinCovariates } from '../../features/covariates.js';
import { UserError } from '../../util/errors.js';
import type { AuditGroup } from './audit.js';

export interface GroupTable {
  groups: AuditGroup[];
  /** Total population per region when a population column was given. */
  population?: Float64Array;
  missingRegions: string[];
}

/** "P0050003=White,P0050004=Black" or "P0050003,P0050004" → [{column, name}]. */
export function parseGroupColumns(spec: string): { column: string; name: string }[] {
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? { column: part, name: part } : { column: part.slice(0, eq).trim(), name: part.slice(eq + 1).trim() };
  });
}

function column(values: Float64Array, k: number, j: number, R: number): Float64Array {
  const out = new Float64Array(R);
  for (let r = 0; r < R; r++) out[r] = values[r * k + j];
  return out;
}

/** Reads group counts per region from a CSV/GeoJSON joined on `key` (regions missing from the table are an error). */
export function loadGroupTable(
  path: string, regionIds: string[], key: string, groupColumns: { column: string; name: string }[], populationColumn?: string, family = 'groups',
): GroupTable {
  const cols = groupColumns.map((g) => g.column).concat(populationColumn ? [populationColumn] : []);
  const join = joinCovariates(path, regionIds, key, cols);
  const { names, values } = join.covariates, k = names.length, R = regionIds.length;
  if (join.missingRegions.length > 0) {
    throw new UserError(`${path}: no row for region(s) ${join.missingRegions.slice(0, 10).join(', ')}`, `join key "${key}" must match the unit ids`);
  }
  const idx = (c: string) => {
    const j = names.indexOf(c.trim());
    if (j < 0) throw new UserError(`${path}: column "${c}" has no numeric values`);
    return j;
  };
  const groups = groupColumns.map((g) => ({ name: g.name, weight: column(values, k, idx(g.column), R), family }));
  return { groups, population: populationColumn ? column(values, k, idx(populationColumn), R) : undefined, missingRegions: join.missingRegions };
}

/**
 * Regions split into `bands` quantile bands of `attribute` (by population-weighted quantiles), each band a group
 * whose weight is the population of its regions: e.g. hardship terciles "low / middle / high".
 */
export function quantileGroups(attribute: ArrayLike<number>, population: ArrayLike<number>, bands: number, label: string): AuditGroup[] {
  const R = attribute.length;
  if (!(bands >= 2)) throw new RangeError('bands must be ≥ 2');
  const order = Array.from({ length: R }, (_, r) => r).filter((r) => Number.isFinite(attribute[r])).sort((a, b) => attribute[a] - attribute[b] || a - b);
  let total = 0;
  for (const r of order) total += population[r];
  const weights = Array.from({ length: bands }, () => new Float64Array(R));
  let cum = 0;
  for (const r of order) {
    // band by the population midpoint of the region, so each band holds about 1/bands of the people
    const b = Math.min(bands - 1, Math.floor(((cum + population[r] / 2) / total) * bands));
    weights[b][r] = population[r];
    cum += population[r];
  }
  return weights.map((w, b) => ({ name: `${label} Q${b + 1}/${bands}`, weight: w, family: label }));
}
