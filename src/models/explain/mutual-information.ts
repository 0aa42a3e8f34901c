/**
 * Mutual information between each feature and the target, by equal-frequency binning of the feature and
 * capping the count target — a fast, model-free ranking for `--select k`. The plug-in estimate is biased
 * upward by about (Bx−1)(By−1)/(2n) (Miller–Madow); that bias is subtracted so pure noise scores ≈ 0.
 */
export function mutualInformation(X: Float32Array, nRows: number, nCols: number, y: ArrayLike<number>, bins = 10, maxY = 10): Float64Array {
  const mi = new Float64Array(nCols);
  const ny = maxY + 1;
  const yc = Int32Array.from({ length: nRows }, (_, i) => Math.min(Math.max(0, Math.round(y[i])), maxY));
  const py = new Float64Array(ny);
  for (const v of yc) py[v]++;
  const col = new Float64Array(nRows);
  for (let j = 0; j < nCols; j++) {
    for (let i = 0; i < nRows; i++) col[i] = X[i * nCols + j];
    const sorted = Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort();
    const edges: number[] = [];
    for (let b = 1; b < bins; b++) edges.push(sorted[Math.floor((b * sorted.length) / bins)] ?? 0);
    const nb = bins + 1; // last bin = missing
    const joint = new Float64Array(nb * ny), px = new Float64Array(nb);
    for (let i = 0; i < nRows; i++) {
      const v = col[i];
      let b = bins;
      if (!Number.isNaN(v)) { b = 0; while (b < edges.length && v >= edges[b]) b++; }
      joint[b * ny + yc[i]]++;
      px[b]++;
    }
    let s = 0;
    for (let b = 0; b < nb; b++) for (let k = 0; k < ny; k++) {
      const pj = joint[b * ny + k] / nRows;
      if (pj > 0) s += pj * Math.log(pj / ((px[b] / nRows) * (py[k] / nRows)));
    }
    const bx = px.filter((v) => v > 0).length, by = py.filter((v) => v > 0).length;
    mi[j] = Math.max(0, s - ((bx - 1) * (by - 1)) / (2 * nRows));
  }
  return mi;
}

/** Indices of the k highest-scoring features (ties by index). */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, j) => j).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
}
