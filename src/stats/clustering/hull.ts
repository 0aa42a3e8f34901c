/** Convex hull by Andrew's monotone chain, O(n log n); hand-written because it is twenty lines. */

/** Indices of the hull vertices of the points in `idx`, counter-clockwise, without repeating the first. */
export function convexHull(x: ArrayLike<number>, y: ArrayLike<number>, idx: ArrayLike<number>): number[] {
  const pts = Array.from(idx).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const uniq: number[] = [];
  for (const i of pts) {
    const last = uniq[uniq.length - 1];
    if (last === undefined || x[last] !== x[i] || y[last] !== y[i]) uniq.push(i);
  }
  if (uniq.length < 3) return uniq;
  const cross = (o: number, a: number, b: number) => (x[a] - x[o]) * (y[b] - y[o]) - (y[a] - y[o]) * (x[b] - x[o]);
  const lower: number[] = [], upper: number[] = [];
  for (const i of uniq) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], i) <= 0) lower.pop();
    lower.push(i);
  }
  for (let k = uniq.length - 1; k >= 0; k--) {
    const i = uniq[k];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], i) <= 0) upper.pop();
    upper.push(i);
  }
  lower.pop(); upper.pop();
  return lower.concat(upper);
}
