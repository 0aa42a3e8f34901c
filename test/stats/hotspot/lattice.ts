/** Rook-contiguity neighbour lists of a rows × cols lattice, region index = row * cols + col. */
export function rookLists(rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const l: number[] = [];
      if (r > 0) l.push((r - 1) * cols + c);
      if (c > 0) l.push(r * cols + c - 1);
      if (c < cols - 1) l.push(r * cols + c + 1);
      if (r < rows - 1) l.push((r + 1) * cols + c);
      out.push(l);
    }
  }
  return out;
}

/**
 * The 3×3 example used across these tests:
 *   0 0 1
 *   0 2 4
 *   1 4 8
 * n = 9, Σx = 20, x̄ = 20/9, Σx² = 102, S² = 102/9 − (20/9)² = 518/81.
 */
export const X3 = [0, 0, 1, 0, 2, 4, 1, 4, 8];
