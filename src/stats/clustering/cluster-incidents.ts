/**
 * One entry point for clustering located incidents (what the CLI calls): project lon/lat to local metres,
 * run the chosen method, and return labels, per-cluster summaries and convex hulls as GeoJSON.
 */
import { localProjection } from '../../space/projection.js';
import { chooseK } from './choose-k.js';
import { dbscan } from './dbscan.js';
import { clustersToGeoJSON, summariseClusters, type ClusterSummary, type FeatureCollection } from './geojson.js';
import { kmeans } from './kmeans.js';
import { nnh } from './nnh.js';
import { stdbscan } from './stdbscan.js';

export type ClusterMethod = 'kmeans' | 'dbscan' | 'stdbscan' | 'nnh';

export interface ClusterParams {
  method: ClusterMethod;
  seed?: number;
  /** k-means: fixed k, or chosen in [kMin, kMax] by `kSelect`. */
  k?: number;
  kMin?: number;
  kMax?: number;
  kSelect?: 'silhouette' | 'elbow';
  /** DBSCAN / ST-DBSCAN spatial radius, metres. */
  eps?: number;
  /** ST-DBSCAN temporal radius, days. */
  epsDays?: number;
  minPts?: number;
  /** NNH: one-tailed probability, minimum points, optional area (m²) or fixed distance (m). */
  pValue?: number;
  minPoints?: number;
  minPointsHigher?: number;
  area?: number;
  fixedDistance?: number;
}

export interface ClusterOutput {
  method: ClusterMethod;
  /** Cluster per incident (-1 = noise / unclustered); for NNH the first order. */
  labels: Int32Array;
  clusters: ClusterSummary[];
  geojson: FeatureCollection;
  /** Method-specific figures (k-means scores, NNH thresholds per order …). */
  details: Record<string, unknown>;
}

export function clusterIncidents(pts: { lat: Float64Array; lon: Float64Array; t?: Float64Array }, o: ClusterParams): ClusterOutput {
  const n = pts.lat.length;
  if (n === 0) throw new Error('no incidents to cluster');
  let sLat = 0, sLon = 0;
  for (let i = 0; i < n; i++) { sLat += pts.lat[i]; sLon += pts.lon[i]; }
  const { x, y } = localProjection(sLat / n, sLon / n).forward(pts.lat, pts.lon);
  const geo = { x, y, lat: pts.lat, lon: pts.lon, t: pts.t };
  const finish = (labels: Int32Array, k: number, details: Record<string, unknown>): ClusterOutput => {
    const s = summariseClusters(labels, k, geo);
    return { method: o.method, labels, clusters: s.summaries, geojson: clustersToGeoJSON(s.summaries, s.hulls, pts.lat, pts.lon, { method: o.method }), details };
  };
  switch (o.method) {
    case 'kmeans': {
      if (o.k !== undefined) {
        const r = kmeans({ x, y }, o.k, { seed: o.seed });
        return finish(r.labels, r.k, { k: r.k, inertia: r.inertia, iterations: r.iterations });
      }
      const c = chooseK({ x, y }, { seed: o.seed, kMin: o.kMin, kMax: o.kMax, method: o.kSelect });
      return finish(c.best.labels, c.k, { k: c.k, selection: o.kSelect ?? 'silhouette', scores: c.scores, inertia: c.best.inertia });
    }
    case 'dbscan': {
      const r = dbscan({ x, y }, { eps: o.eps ?? 100, minPts: o.minPts ?? 5 });
      return finish(r.labels, r.k, { eps: o.eps ?? 100, minPts: o.minPts ?? 5, noise: countNoise(r.labels) });
    }
    case 'stdbscan': {
      if (!pts.t) throw new Error('ST-DBSCAN needs event times');
      const eps2 = (o.epsDays ?? 7) * 86_400_000;
      const r = stdbscan({ x, y, t: pts.t }, { eps1: o.eps ?? 100, eps2, minPts: o.minPts ?? 5 });
      return finish(r.labels, r.k, { eps: o.eps ?? 100, epsDays: o.epsDays ?? 7, minPts: o.minPts ?? 5, noise: countNoise(r.labels) });
    }
    case 'nnh': {
      const orders = nnh({ x, y }, { pValue: o.pValue, minPoints: o.minPoints, minPointsHigher: o.minPointsHigher, area: o.area, fixedDistance: o.fixedDistance });
      const first = orders[0];
      const out = finish(first?.labels ?? new Int32Array(n).fill(-1), first?.clusters.length ?? 0, {
        orders: orders.map((r) => ({ order: r.order, threshold: r.threshold, clusters: r.clusters.length })),
      });
      out.geojson.features.forEach((f) => (f.properties.order = 1));
      // higher orders: hulls over all incidents each higher-order cluster gathers
      for (const r of orders.slice(1)) {
        const s = summariseClusters(r.labels, r.clusters.length, geo);
        const fc = clustersToGeoJSON(s.summaries, s.hulls, pts.lat, pts.lon, { method: 'nnh', order: r.order });
        out.geojson.features.push(...fc.features);
      }
      return out;
    }
  }
}

function countNoise(labels: Int32Array): number {
  let c = 0;
  for (const l of labels) if (l < 0) c++;
  return c;
}
