/**
 * Small dense symmetric solves (k ≲ 100: GLM Newton steps, ensemble weights, sandwich variances). Hand-written:
 * the work is k³ on tiny matrices, where a linear-algebra dependency would cost more than it saves.
 */

/** Cholesky solve of a symmetric positive-definite system; null when singular. */
export function solveSymmetric(A: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * k + j];
      for (let l = 0; l < j; l++) s -= L[i * k + l] * L[j * k + l];
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(A[i * k + i])))) return null;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j];
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) { let s = b[i]; for (let l = 0; l < i; l++) s -= L[i * k + l] * z[l]; z[i] = s / L[i * k + i]; }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) { let s = z[i]; for (let l = i + 1; l < k; l++) s -= L[l * k + i] * x[l]; x[i] = s / L[i * k + i]; }
  return x;
}

/** Inverse of a small square matrix (Gauss–Jordan with partial pivoting); null when singular. */
export function invertSmall(m: Float64Array, p: number): Float64Array | null {
  const a = Float64Array.from(m), inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inv[i * p + i] = 1;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r * p + c]) > Math.abs(a[piv * p + c])) piv = r;
    if (Math.abs(a[piv * p + c]) < 1e-14) return null;
    if (piv !== c) for (let k = 0; k < p; k++) {
      [a[c * p + k], a[piv * p + k]] = [a[piv * p + k], a[c * p + k]];
      [inv[c * p + k], inv[piv * p + k]] = [inv[piv * p + k], inv[c * p + k]];
    }
    const d = a[c * p + c];
    for (let k = 0; k < p; k++) { a[c * p + k] /= d; inv[c * p + k] /= d; }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r * p + c];
      if (f === 0) continue;
      for (let k = 0; k < p; k++) { a[r * p + k] -= f * a[c * p + k]; inv[r * p + k] -= f * inv[c * p + k]; }
    }
  }
  return inv;
}
