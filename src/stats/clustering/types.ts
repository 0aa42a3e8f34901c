/** Shared result shapes of the point clustering methods (planar metres in, labels out). */

/** Planar points in metres (project lat/lon first); t in epoch ms where a method uses time. */
export interface PlanarPointSet {
  x: Float64Array;
  y: Float64Array;
  t?: Float64Array;
}

export interface Clustering {
  /** Cluster id per point, 0..k-1; -1 = noise / unclustered. */
  labels: Int32Array;
  k: number;
}
