/**
 * Empirical-Bayes gamma–Poisson shrinkage of a cell's rate: with counts n over exposure E and a prior rate m
 * (from the neighbourhood), λ ~ Gamma(shape α, mean m) gives the posterior mean (n + α) / (E + α / m).
 * Cells with much evidence (n ≫ α) keep their own rate; sparse cells move toward m. α is chosen on validation.
 */

/** Smallest prior rate used, as a share of the category's mean cell rate (a prior of 0 would pin λ at 0). */
export const PRIOR_FLOOR_SHARE = 1e-3;

/**
 * Posterior mean rate per period for each cell of category `c` (index i = r·C + c) into `out`.
 * `prior` holds prior counts over the same exposure (prior rate = prior / exposure), floored at
 * PRIOR_FLOOR_SHARE × the category's mean rate; returns how many cells were floored.
 */
export function shrinkCategory(
  counts: Float64Array, prior: Float64Array, exposure: number, alpha: number, categories: number, c: number, out: Float64Array,
): number {
  const R = counts.length / categories;
  let total = 0;
  for (let r = 0; r < R; r++) total += counts[r * categories + c];
  const floor = Math.max((PRIOR_FLOOR_SHARE * total) / (R * exposure), 1e-12);
  let floored = 0;
  for (let r = 0; r < R; r++) {
    const i = r * categories + c;
    let m = prior[i] / exposure;
    if (!(m >= floor)) { m = floor; floored++; }
    out[i] = Number.isFinite(alpha) ? (counts[i] + alpha) / (exposure + alpha / m) : m;
  }
  return floored;
}
