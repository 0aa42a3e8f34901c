/**
 * The neighbourhood rate a sparse cell is shrunk toward: the crime density (count per unit area) averaged over
 * the cell and its adjacent regions, repeated `steps` times (a diffusion whose reach grows like √steps cells),
 * then turned back into counts with the cell's own area. Works for any unit set with an adjacency (grids, H3,
 * polygons), so nothing depends on a city or a cell size.
 */
import type { Adjacency } from '../../space/units.js';

/**
 * Smooths `values` (regions × categories, counts) over the adjacency `steps` times; returns counts per region
 * (density × own area). steps = 0 returns a copy.
 */
export function neighbourhoodCounts(values: Float64Array, categories: number, adj: Adjacency, area: ArrayLike<number>, steps: number): Float64Array {
  const R = area.length, C = categories;
  if (values.length !== R * C) throw new RangeError(`neighbourhoodCounts: ${values.length} values for ${R} regions × ${C} categories`);
  let cur = new Float64Array(R * C), next = new Float64Array(R * C);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) cur[r * C + c] = values[r * C + c] / (area[r] || 1);
  for (let s = 0; s < steps; s++) {
    for (let r = 0; r < R; r++) {
      const a = adj.offsets[r], b = adj.offsets[r + 1], w = 1 / (1 + b - a);
      for (let c = 0; c < C; c++) {
        let sum = cur[r * C + c];
        for (let k = a; k < b; k++) sum += cur[adj.neighbors[k] * C + c];
        next[r * C + c] = sum * w;
      }
    }
    [cur, next] = [next, cur];
  }
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) cur[r * C + c] *= area[r] || 1;
  return cur;
}
