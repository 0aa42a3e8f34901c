/** Equal-frequency discretisation of feature columns (NaN → its own last bin), learned on training rows. */
export interface Discretizer {
  /** edges[j] = ascending cut points of column j. */
  edges: Float64Array[];
  /** Bins per column, including the missing-value bin. */
  sizes: Int32Array;
}

export function fitDiscretizer(X: Float32Array, nRows: number, nCols: number, bins: number): Discretizer {
  const edges: Float64Array[] = [];
  const sizes = new Int32Array(nCols);
  const col: number[] = [];
  for (let j = 0; j < nCols; j++) {
    col.length = 0;
    for (let i = 0; i < nRows; i++) { const v = X[i * nCols + j]; if (!Number.isNaN(v)) col.push(v); }
    col.sort((a, b) => a - b);
    const cuts = new Set<number>();
    for (let b = 1; b < bins; b++) { const v = col[Math.floor((b * col.length) / bins)]; if (v !== undefined && v > col[0]) cuts.add(v); }
    edges.push(Float64Array.from([...cuts].sort((a, b) => a - b)));
    sizes[j] = edges[j].length + 2;
  }
  return { edges, sizes };
}

export function binOf(d: Discretizer, j: number, v: number): number {
  const e = d.edges[j];
  if (Number.isNaN(v)) return e.length + 1;
  let lo = 0, hi = e.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (v >= e[m]) lo = m + 1; else hi = m; }
  return lo;
}

/** Column-major bin codes. */
export function discretize(d: Discretizer, X: Float32Array, nRows: number, nCols: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let j = 0; j < nCols; j++) {
    const c = new Uint8Array(nRows);
    for (let i = 0; i < nRows; i++) c[i] = binOf(d, j, X[i * nCols + j]);
    out.push(c);
  }
  return out;
}
