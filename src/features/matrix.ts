/**
 * The feature matrix shared by every model that learns from engineered features (trees, GLMs, SVM, k-NN,
 * naive Bayes, MLP): row-major Float32Array, one row per (target period, region, category), plus the
 * row's coordinates so predictions can be put back into a Forecast.
 */
export interface FeatureMatrix {
  nRows: number;
  nCols: number;
  names: string[];
  /** Row-major values: X[row * nCols + col]. NaN = missing. */
  X: Float32Array;
  /** Target count of each row (NaN when the target period lies beyond the history, i.e. a forecast row). */
  y: Float32Array;
  rowPeriod: Int32Array;
  rowRegion: Int32Array;
  rowCategory: Int32Array;
}

/** Column j as a new Float32Array (column-major consumers, e.g. binning). */
export function column(m: FeatureMatrix, j: number): Float32Array {
  const out = new Float32Array(m.nRows);
  for (let i = 0; i < m.nRows; i++) out[i] = m.X[i * m.nCols + j];
  return out;
}

/** Keep only the listed columns (feature selection). */
export function selectColumns(m: FeatureMatrix, cols: number[]): FeatureMatrix {
  const k = cols.length;
  const X = new Float32Array(m.nRows * k);
  for (let i = 0; i < m.nRows; i++) {
    const src = i * m.nCols, dst = i * k;
    for (let j = 0; j < k; j++) X[dst + j] = m.X[src + cols[j]];
  }
  return { ...m, nCols: k, names: cols.map((j) => m.names[j]), X };
}

/** Rows whose index passes `keep` (e.g. a training window), as a new matrix. */
export function selectRows(m: FeatureMatrix, keep: (row: number) => boolean): FeatureMatrix {
  const idx: number[] = [];
  for (let i = 0; i < m.nRows; i++) if (keep(i)) idx.push(i);
  const n = idx.length, c = m.nCols;
  const X = new Float32Array(n * c), y = new Float32Array(n);
  const rowPeriod = new Int32Array(n), rowRegion = new Int32Array(n), rowCategory = new Int32Array(n);
  idx.forEach((i, j) => {
    X.set(m.X.subarray(i * c, (i + 1) * c), j * c);
    y[j] = m.y[i]; rowPeriod[j] = m.rowPeriod[i]; rowRegion[j] = m.rowRegion[i]; rowCategory[j] = m.rowCategory[i];
  });
  return { ...m, nRows: n, X, y, rowPeriod, rowRegion, rowCategory };
}
