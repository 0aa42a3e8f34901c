/** Partial dependence (Friedman 2001): the mean prediction as one feature is set to each grid value for every row. */
export interface PartialDependence {
  feature: string;
  grid: Float64Array;
  mean: Float64Array;
}

export function partialDependence(
  predict: (X: Float32Array, nRows: number) => Float32Array,
  X: Float32Array, nRows: number, nCols: number, j: number, name: string, gridSize = 20,
): PartialDependence {
  const vals: number[] = [];
  for (let i = 0; i < nRows; i++) { const v = X[i * nCols + j]; if (!Number.isNaN(v)) vals.push(v); }
  vals.sort((a, b) => a - b);
  // grid at quantiles 2.5%..97.5% (unique values when there are few)
  const uniq = [...new Set(vals)];
  const grid = uniq.length <= gridSize ? Float64Array.from(uniq)
    : Float64Array.from({ length: gridSize }, (_, k) => vals[Math.floor((0.025 + (0.95 * k) / (gridSize - 1)) * (vals.length - 1))]);
  const Xg = Float32Array.from(X);
  const mean = new Float64Array(grid.length);
  grid.forEach((g, k) => {
    for (let i = 0; i < nRows; i++) Xg[i * nCols + j] = g;
    const p = predict(Xg, nRows);
    let s = 0;
    for (let i = 0; i < nRows; i++) s += p[i];
    mean[k] = s / nRows;
  });
  return { feature: name, grid, mean };
}
