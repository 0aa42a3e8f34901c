/**
 * Grid clustering of points in screen space: points whose projected pixel positions fall in the same `cellPx` square
 * become one cluster at their mean position. Redone on every zoom, so tens of thousands of incidents draw as a few
 * hundred markers; a cluster of one is drawn as the point itself.
 */
export interface Cluster { x: number; y: number; count: number; /** Index of the first point (for a cluster of one). */ first: number }

export function gridClusters(x: ArrayLike<number>, y: ArrayLike<number>, cellPx: number): Cluster[] {
  const byCell = new Map<string, Cluster>();
  for (let i = 0; i < x.length; i++) {
    const key = `${Math.floor(x[i] / cellPx)},${Math.floor(y[i] / cellPx)}`;
    const c = byCell.get(key);
    // running mean, so the marker sits where the points are, not at the cell's corner
    if (c) { c.count++; c.x += (x[i] - c.x) / c.count; c.y += (y[i] - c.y) / c.count; }
    else byCell.set(key, { x: x[i], y: y[i], count: 1, first: i });
  }
  return [...byCell.values()];
}
